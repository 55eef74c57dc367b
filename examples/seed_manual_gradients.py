# The seed's program as a plain script (notebook magics and live display removed,
# the plotting calls kept so that they draw the same random numbers).
import tinygrad_lr as t
import matplotlib
matplotlib.use("Agg")
from matplotlib import pyplot as plt

device = t.device('cpu')  # for a GPU: t.device('cuda:0')
t.manual_seed(1000)


def get_fake_data(batch_size=8):
    ''' random data: y = x*2 + 3, plus some noise '''
    x = t.rand(batch_size, 1, device=device) * 5
    y = x * 2 + 3 + t.randn(batch_size, 1, device=device)
    return x, y


# random initial parameters
w = t.rand(1, 1).to(device)
b = t.zeros(1, 1).to(device)
lr = 0.02  # learning rate

for ii in range(500):
    x, y = get_fake_data(batch_size=4)

    # forward: compute the loss
    y_pred = x.mm(w) + b.expand_as(y)
    loss = 0.5 * (y_pred - y) ** 2  # squared error
    loss = loss.mean()

    # backward: gradients by hand
    dloss = 1
    dy_pred = dloss * (y_pred - y)
    dw = x.t().mm(dy_pred)
    db = dy_pred.sum()

    # update the parameters
    w.sub_(lr * dw)
    b.sub_(lr * db)

    if ii % 50 == 0:
        # draw the current line over fresh data
        x = t.arange(0, 6).view(-1, 1)
        y = x.float().mm(w) + b.expand_as(x)
        plt.plot(x.cpu().numpy(), y.cpu().numpy(), color='b')  # predicted
        x2, y2 = get_fake_data(batch_size=100)
        plt.scatter(x2.numpy(), y2.numpy(), color='r')  # true data
        plt.xlim(0, 5)
        plt.ylim(0, 15)
        plt.savefig("seed_fit.png")
        plt.close()

print('w: ', w.item(), 'b: ', b.item())
