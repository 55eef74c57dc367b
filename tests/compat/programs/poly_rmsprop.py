# The cubic fit of sin(x) once more, with the update left to an optimizer: RMSprop.
# Two changes from the plain version keep the run well-behaved in float32: the powers are of
# x / pi, so that the three features have comparable sizes, and x runs over [-pi/2, pi], so
# that no coefficient has an exact optimum of zero. The run stops after 600 steps, before
# RMSprop's nearly constant-size steps start to rattle around the minimum (from there on the
# last bits of every sum decide where the rattling goes, in PyTorch as anywhere).
import math

import torch

x = torch.linspace(-math.pi / 2, math.pi, 2000)
y = torch.sin(x)
features = (x / math.pi).unsqueeze(-1).pow(torch.tensor([1, 2, 3]))

model = torch.nn.Sequential(torch.nn.Linear(3, 1), torch.nn.Flatten(0, 1))
with torch.no_grad():
    model[0].weight.copy_(torch.tensor([[-0.4, 0.1, 0.05]]))
    model[0].bias.fill_(0.2)

loss_fn = torch.nn.MSELoss(reduction="sum")
optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-3)

for it in range(600):
    y_pred = model(features)
    loss = loss_fn(y_pred, y)
    if it % 150 == 149:
        print(f"iteration {it + 1:4d}: loss {loss.item():.6e}")
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

n_params = sum(p.numel() for p in model.parameters())
print("parameters:", n_params, "lr:", optimizer.param_groups[0]["lr"])
bias = model[0].bias.item()
b, c, d = model[0].weight[0].tolist()
print(f"y = {bias:.6f} + {b:.6f} (x/pi) + {c:.6f} (x/pi)^2 + {d:.6f} (x/pi)^3")
