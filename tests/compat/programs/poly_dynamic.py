# A model whose depth is drawn at random on every forward pass: a cubic, plus zero, one or
# two more terms e x^4 and e x^5 that all reuse the same weight e. Python's random module
# chooses, seeded, so every run makes the same choices.
import random

import torch


class DynamicNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.a = torch.nn.Parameter(torch.tensor(0.1))
        self.b = torch.nn.Parameter(torch.tensor(0.5))
        self.c = torch.nn.Parameter(torch.tensor(-0.1))
        self.d = torch.nn.Parameter(torch.tensor(0.0))
        self.e = torch.nn.Parameter(torch.tensor(0.0))
        self.depths = {4: 0, 5: 0, 6: 0}  # how often each depth was drawn

    def forward(self, x):
        y = self.a + self.b * x + self.c * x**2 + self.d * x**3
        depth = random.randint(4, 6)
        self.depths[depth] += 1
        for exponent in range(4, depth):
            y = y + self.e * x**exponent
        return y

    def describe(self):
        cubic = (
            f"{self.a.item():.6f} + {self.b.item():.6f} x + {self.c.item():.6f} x^2"
            f" + {self.d.item():.6f} x^3"
        )
        return f"y = {cubic}, plus {self.e.item():.6f} x^k for k = 4 and 5 when drawn"


random.seed(7)
x = torch.linspace(-1, 1, 1000)
y = torch.sin(2 * x)

model = DynamicNet()
criterion = torch.nn.MSELoss(reduction="sum")
optimizer = torch.optim.SGD(model.parameters(), lr=1e-4, momentum=0.9)
for it in range(1500):
    y_pred = model(x)
    loss = criterion(y_pred, y)
    if it % 300 == 299:
        print(f"iteration {it + 1:4d}: loss {loss.item():.6e}")
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

print("parameters:", [name for name, _ in model.named_parameters()])
print("depths drawn:", model.depths)
print(model.describe())
