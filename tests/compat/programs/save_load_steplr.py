# A small ReLU network fitted to a parabola with SGD and momentum while StepLR halves the
# learning rate every 100 steps; its state_dict is then saved, loaded into a second copy of
# the network, and the copy is checked to give the same predictions.
import math
import os
import tempfile

import torch


def make_model():
    return torch.nn.Sequential(torch.nn.Linear(1, 8), torch.nn.ReLU(), torch.nn.Linear(8, 1))


x = torch.linspace(-1, 1, 64).reshape(-1, 1)
y = 3 * x**2 - x + 0.1 * torch.cos(7 * x)

model = make_model()
with torch.no_grad():
    # weights laid out by a formula: a fan of slopes and offsets
    model[0].weight.copy_(torch.linspace(-2, 2, 8).reshape(8, 1))
    model[0].bias.copy_(0.8 * torch.sin(torch.arange(8.0) + 0.5))
    model[2].weight.copy_(0.3 * torch.cos(torch.arange(8.0)).reshape(1, 8))
    model[2].bias.zero_()

loss_fn = torch.nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=100, gamma=0.5)

for step in range(300):
    loss = loss_fn(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    scheduler.step()
    if step % 100 == 99:
        print(f"step {step + 1}: loss {loss.item():.6e}, next lr {scheduler.get_last_lr()[0]:.6g}")

with tempfile.TemporaryDirectory() as folder:
    path = os.path.join(folder, "parabola.pt")
    torch.save(model.state_dict(), path)
    state = torch.load(path)
    print("saved:", ", ".join(f"{name} {tuple(value.shape)}" for name, value in state.items()))

    copy = make_model()
    copy.load_state_dict(state)
    copy.eval()
    with torch.no_grad():
        same = torch.equal(copy(x), model(x))
        test_loss = loss_fn(copy(x), y).item()
print("copy gives the same predictions:", same)
print(f"loss of the copy: {test_loss:.6e}")
print(f"prediction at x = 0.5: {copy(torch.tensor([[0.5]])).item():.6f}"
      f" (target {3 * 0.25 - 0.5 + 0.1 * math.cos(3.5):.6f})")
