# Logistic regression in the style of the oldest PyTorch tutorials: tensors wrapped in
# autograd.Variable, the loss written out, and the weights changed through .data with the
# gradients cleared by .grad.data.zero_().
import numpy as np
import torch

Variable = torch.autograd.Variable  # the legacy wrapper, as old code spells it

rng = np.random.default_rng(5)
n = 200
# two overlapping clouds: class 0 around (-1, -1), class 1 around (1, 0.5)
cloud0 = rng.normal(0.0, 1.0, (n // 2, 2)) + np.array([-1.0, -1.0])
cloud1 = rng.normal(0.0, 1.0, (n // 2, 2)) + np.array([1.0, 0.5])
x_np = np.vstack([cloud0, cloud1]).astype(np.float32)
y_np = np.r_[np.zeros(n // 2), np.ones(n // 2)].astype(np.float32).reshape(-1, 1)

x = Variable(torch.from_numpy(x_np))
y = Variable(torch.from_numpy(y_np))
w = Variable(torch.FloatTensor([[0.1], [-0.1]]), requires_grad=True)
b = Variable(torch.zeros(1), requires_grad=True)

learning_rate = 0.1
for epoch in range(500):
    p = torch.sigmoid(x.mm(w) + b)
    loss = -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()
    loss.backward()

    w.data -= learning_rate * w.grad.data
    b.data -= learning_rate * b.grad.data
    w.grad.data.zero_()
    b.grad.data.zero_()

    if (epoch + 1) % 100 == 0:
        print(f"epoch {epoch + 1}: loss {loss.item():.6f}")

predicted = (torch.sigmoid(x.mm(w) + b) > 0.5).float()
correct = (predicted == y).sum().item()
print(f"correct: {correct} of {n}")
print(f"w = [{w.data[0, 0]:.6f}, {w.data[1, 0]:.6f}], b = {b.data[0]:.6f}")
print("w is a", type(w).__name__, "requires_grad:", w.requires_grad)
