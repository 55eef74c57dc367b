# sin(x) on [-pi, pi] approximated by a cubic a + b x + c x^2 + d x^3.
# The four coefficients are bare tensors; autograd gives their gradients and the
# gradient-descent step is written out by hand inside torch.no_grad().
import math

import torch

x = torch.linspace(-math.pi, math.pi, 2000)
y = torch.sin(x)

# fixed starting values, so that every run starts from the same place
a = torch.tensor(0.2, requires_grad=True)
b = torch.tensor(-0.4, requires_grad=True)
c = torch.tensor(0.1, requires_grad=True)
d = torch.tensor(0.05, requires_grad=True)
coefficients = [a, b, c, d]

step_size = 1e-6
for it in range(2000):
    prediction = a + b * x + c * x**2 + d * x**3
    loss = (prediction - y).pow(2).sum()
    if it == 0:
        # what autograd is about to give, worked out by hand for comparison
        residual = 2.0 * (prediction - y)
        by_hand = [(residual * x**k).sum().item() for k in range(4)]
    loss.backward()
    if it == 0:
        by_autograd = [p.grad.item() for p in coefficients]
        print("first gradients:", " ".join(f"{g:.6e}" for g in by_autograd))
        print("worked by hand: ", " ".join(f"{g:.6e}" for g in by_hand))
    if it % 500 == 499:
        print(f"iteration {it + 1:4d}: loss {loss.item():.6e}")
    with torch.no_grad():
        for p in coefficients:
            p -= step_size * p.grad
            p.grad = None

print(f"y = {a.item():.6f} + {b.item():.6f} x + {c.item():.6f} x^2 + {d.item():.6f} x^3")
