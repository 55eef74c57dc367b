# sin(x) fitted as y = a + b * P3(c + d x), where P3(t) = (5 t^3 - 3 t) / 2 is the Legendre
# polynomial of degree three, written as a custom autograd Function with its own backward.
import math

import torch


class P3(torch.autograd.Function):
    @staticmethod
    def forward(ctx, t):
        ctx.save_for_backward(t)
        return 0.5 * (5 * t**3 - 3 * t)

    @staticmethod
    def backward(ctx, grad_output):
        (t,) = ctx.saved_tensors
        grad_t = None
        if ctx.needs_input_grad[0]:
            grad_t = grad_output * 1.5 * (5 * t**2 - 1)  # P3'(t)
        return grad_t


# the hand-written backward against finite differences, in double precision
probe = torch.linspace(-1.2, 1.2, 7, dtype=torch.float64, requires_grad=True)
print("gradcheck:", torch.autograd.gradcheck(P3.apply, (probe,)))

x = torch.linspace(-math.pi, math.pi, 2000)
y = torch.sin(x)

a = torch.full((), 0.1, requires_grad=True)
b = torch.full((), -0.8, requires_grad=True)
c = torch.full((), 0.05, requires_grad=True)
d = torch.full((), 0.35, requires_grad=True)

step_size = 5e-6
for it in range(2000):
    y_pred = a + b * P3.apply(c + d * x)
    loss = (y_pred - y).pow(2).sum()
    if it % 500 == 499:
        print(f"iteration {it + 1:4d}: loss {loss.item():.6e}")
    loss.backward()
    with torch.no_grad():
        for p in (a, b, c, d):
            p -= step_size * p.grad
            p.grad = None

print(f"y = {a.item():.6f} + {b.item():.6f} * P3({c.item():.6f} + {d.item():.6f} x)")
