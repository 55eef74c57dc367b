# Three interleaved spirals in the plane, told apart by a small MLP trained with softmax
# cross-entropy and Adam on the full set. The points come from a formula plus seeded numpy
# noise; the weights are set explicitly from the same numpy generator. The hidden layer is tanh:
# with ReLU, a unit whose input lands within rounding of zero at some step gets a gradient of
# 0 or 1 depending on the last bit, and after a few hundred Adam steps the printed digits
# depend on the order of float32 additions.
import numpy as np
import torch

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")


def spirals(points_per_class, classes, rng):
    X = np.zeros((points_per_class * classes, 2), dtype=np.float32)
    y = np.zeros(points_per_class * classes, dtype=np.int64)
    for k in range(classes):
        rows = slice(points_per_class * k, points_per_class * (k + 1))
        radius = np.linspace(0.0, 1.0, points_per_class)
        angle = np.linspace(4.0 * k, 4.0 * (k + 1), points_per_class)
        angle += rng.normal(0.0, 0.2, points_per_class)
        X[rows] = np.c_[radius * np.sin(angle), radius * np.cos(angle)]
        y[rows] = k
    return X, y


rng = np.random.default_rng(1)
X_np, y_np = spirals(100, 3, rng)
X = torch.from_numpy(X_np).to(device)
y = torch.from_numpy(y_np).to(device)
print("data:", tuple(X.shape), tuple(y.shape), X.dtype == torch.float32, y.dtype == torch.int64)

model = torch.nn.Sequential(
    torch.nn.Linear(2, 32),
    torch.nn.Tanh(),
    torch.nn.Linear(32, 3),
)
with torch.no_grad():
    for layer in (model[0], model[2]):
        bound = 1.0 / np.sqrt(layer.in_features)
        weight = rng.uniform(-bound, bound, tuple(layer.weight.shape))
        bias = rng.uniform(-bound, bound, tuple(layer.bias.shape))
        layer.weight.copy_(torch.tensor(weight, dtype=torch.float32))
        layer.bias.copy_(torch.tensor(bias, dtype=torch.float32))
model = model.to(device)

criterion = torch.nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)

model.train()
for step in range(300):
    logits = model(X)
    loss = criterion(logits, y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if step % 100 == 99:
        print(f"step {step + 1}: loss {loss.item():.6f}")

model.eval()
with torch.no_grad():
    logits = model(X)
    predicted = logits.argmax(dim=1)
    accuracy = (predicted == y).float().mean().item()
    probabilities = torch.softmax(logits, dim=1)
print(f"training accuracy: {accuracy:.4f}")
print("predicted class counts:", torch.bincount(predicted, minlength=3).tolist())
print(f"first point: label {y[0].item()}, probabilities "
      + " ".join(f"{p:.5f}" for p in probabilities[0].tolist()))
print("last layer bias: " + " ".join(f"{v:.5f}" for v in model[2].bias.tolist()))
