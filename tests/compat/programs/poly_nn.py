# The same cubic fit of sin(x), now as a model: the powers x, x^2, x^3 are the three
# input features of a Linear layer, and Flatten(0, 1) turns its (N, 1) output into (N,).
# The loss comes from nn, the update is still a hand-written loop over model.parameters().
import math

import torch

x = torch.linspace(-math.pi, math.pi, 2000)
y = torch.sin(x)

powers = torch.tensor([1, 2, 3])
features = x.unsqueeze(-1).pow(powers)  # (2000, 1) ** (3,) broadcasts to (2000, 3)

model = torch.nn.Sequential(
    torch.nn.Linear(3, 1),
    torch.nn.Flatten(0, 1),
)
# start from fixed weights instead of the random ones Linear was made with
with torch.no_grad():
    model[0].weight.copy_(torch.tensor([[-0.4, 0.1, 0.05]]))
    model[0].bias.fill_(0.2)

loss_fn = torch.nn.MSELoss(reduction="sum")

step_size = 1e-6
for it in range(2000):
    y_pred = model(features)
    loss = loss_fn(y_pred, y)
    if it % 500 == 499:
        print(f"iteration {it + 1:4d}: loss {loss.item():.6e}")
    model.zero_grad()
    loss.backward()
    with torch.no_grad():
        for param in model.parameters():
            param -= step_size * param.grad

print("features:", tuple(features.shape), "output:", tuple(y_pred.shape))
linear = model[0]
w = linear.weight
print(
    f"y = {linear.bias.item():.6f} + {w[0, 0].item():.6f} x"
    f" + {w[0, 1].item():.6f} x^2 + {w[0, 2].item():.6f} x^3"
)
