"""The core: the Tensor, the autograd engine and the op table.

Read in this order: `engine.py` (grad mode, the graph node, the backward walk), the op table in
`ops/` (each op's forward and backward side by side), `tensor.py` (the Tensor and its data
model), then the front-end mixins that check arguments and call the ops (`arithmetic.py`,
`pointwise.py`, `shaping.py`, `reductions.py`, `selection.py`). `dtypes.py` holds PyTorch's
promotion rules, `creation.py` the functions that make tensors, `functions.py` the module-level
forms (`tinygrad_lr.exp(x)`), `size.py` the `Size` of a shape.
"""
