"""The flagship: fit y = w·x + b to y = 2x + 3 + noise with autograd, next to the hand math of
the original program (examples/seed_manual_gradients.py, the PyTorch example this project grew
from).

    python examples/linear_regression.py            # the same as: tinygrad-lr train
    python examples/linear_regression.py --help     # --steps, --lr, --optimizer adam, --loss mean…

What happens at each step (the loop is `tinygrad_lr.apps.regression.fit_linear_regression`):

    x, y = get_fake_data(batch_size=4)          # x ~ U(0, 5), y = 2x + 3 + N(0, 1)
    opt.zero_grad()
    y_pred = model(x)                           # forward: ŷ = x·w + b
    loss = (0.5 * (y_pred - y) ** 2).sum()      # ½·Σ(ŷ − y)², written as the original writes it
    loss.backward()                             # autograd fills w.grad and b.grad
    opt.step()                                  # w ← w − lr·w.grad, b ← b − lr·b.grad
    dw, db = hand_gradients(x, y_pred, y, "sum")  # the original's xᵀ(ŷ − y), Σ(ŷ − y), compared
                                                # with the .grad the step used

(`training_step` is the middle four lines; `--compile` runs it as generated numpy code.)

The original program's gradients are those of the *summed* loss; `--loss mean` divides the loss,
and so every gradient, by the batch size n, which makes each step n times smaller at the same
learning rate.

It prints a progress line every 50 steps (about 20 in all for runs over 1000 steps), the largest
difference between autograd's and the hand-derived gradients, the closed-form least-squares
answer on all data seen, and last the original program's line `w:  … b:  …`. Pictures go to out/
(see `tinygrad-lr train --help` for the list).
"""

import sys

from tinygrad_lr.apps.train import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
