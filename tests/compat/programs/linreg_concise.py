# The same linear regression written concisely: a TensorDataset and a DataLoader for the
# minibatches, nn.Linear for the model, nn.MSELoss and optim.SGD for the rest.
import numpy as np
import torch

rng = np.random.default_rng(0)
true_w = torch.tensor([2, -3.4])
true_b = 4.2
features = torch.tensor(rng.normal(0.0, 1.0, (1000, 2)), dtype=torch.float32)
labels = (torch.matmul(features, true_w) + true_b).reshape(-1, 1)
labels += torch.tensor(rng.normal(0.0, 0.01, labels.shape), dtype=torch.float32)


def load_array(data_arrays, batch_size):
    """Minibatches in the stored order (the data are already in random order)."""
    dataset = torch.utils.data.TensorDataset(*data_arrays)
    return torch.utils.data.DataLoader(dataset, batch_size=batch_size, shuffle=False)


batch_size = 16
data_iter = load_array((features, labels), batch_size)
print("examples:", len(data_iter.dataset), "batches:", len(data_iter))
X0, y0 = next(iter(data_iter))
print("first batch:", X0.shape, y0.shape)

net = torch.nn.Sequential(torch.nn.Linear(2, 1))
net[0].weight.data.copy_(torch.tensor([[0.01, -0.01]]))
net[0].bias.data.fill_(0)

loss = torch.nn.MSELoss()
trainer = torch.optim.SGD(net.parameters(), lr=0.03)

num_epochs = 3
for epoch in range(num_epochs):
    for X, y in data_iter:
        batch_loss = loss(net(X), y)
        trainer.zero_grad()
        batch_loss.backward()
        trainer.step()
    epoch_loss = loss(net(features), labels)
    print(f"epoch {epoch + 1}, loss {epoch_loss.item():.6e}")

w = net[0].weight.data
b = net[0].bias.data
print(f"w = [{w[0, 0].item():.6f}, {w[0, 1].item():.6f}], b = {b.item():.6f}")
