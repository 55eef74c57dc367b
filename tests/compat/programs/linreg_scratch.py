# Linear regression from scratch: y = X w + b + noise, fitted by minibatch stochastic gradient
# descent. The minibatches come from a generator that shuffles the example indices with
# Python's random module; the model, the loss and the update are plain functions.
import random

import numpy as np
import torch


def synthetic_data(w, b, num_examples, rng):
    """Features from a standard normal, labels X w + b plus a little noise (seeded numpy)."""
    X = torch.tensor(rng.normal(0.0, 1.0, (num_examples, len(w))), dtype=torch.float32)
    y = torch.matmul(X, w) + b
    y += torch.tensor(rng.normal(0.0, 0.01, y.shape), dtype=torch.float32)
    return X, y.reshape((-1, 1))


def data_iter(batch_size, features, labels):
    num_examples = len(features)
    indices = list(range(num_examples))
    random.shuffle(indices)
    for start in range(0, num_examples, batch_size):
        batch = torch.tensor(indices[start : min(start + batch_size, num_examples)])
        yield features[batch], labels[batch]


def linreg(X, w, b):
    return torch.matmul(X, w) + b


def squared_loss(y_hat, y):
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def sgd(params, lr, batch_size):
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


random.seed(2024)
true_w = torch.tensor([2, -3.4])
true_b = 4.2
features, labels = synthetic_data(true_w, true_b, 1000, np.random.default_rng(0))
print("first example:", features[0].tolist(), labels[0].tolist())

w = torch.tensor([[0.01], [-0.01]], requires_grad=True)
b = torch.zeros(1, requires_grad=True)

lr, num_epochs, batch_size = 0.03, 3, 10
for epoch in range(num_epochs):
    for X, y in data_iter(batch_size, features, labels):
        batch_loss = squared_loss(linreg(X, w, b), y)
        batch_loss.sum().backward()
        sgd([w, b], lr, batch_size)
    with torch.no_grad():
        train_l = squared_loss(linreg(features, w, b), labels)
        print(f"epoch {epoch + 1}, loss {float(train_l.mean()):.6e}")

print(f"w = [{w[0, 0].item():.6f}, {w[1, 0].item():.6f}], b = {b.item():.6f}")
