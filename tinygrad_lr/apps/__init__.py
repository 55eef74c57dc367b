"""The applications built on the package: the `tinygrad-lr` command (`cli.py`), the flagship's
training run (`train.py`) and its pictures (`plots.py`), and `tinygrad-lr graph` (`graph_cli.py`).
"""
