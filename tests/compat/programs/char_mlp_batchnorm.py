# A character-level language model in the style of the "makemore" lectures: the previous three
# characters of a name are looked up in an embedding table, joined, passed through a hidden
# layer with batch normalisation and tanh, and scored against the next character with
# cross-entropy. Trained with SGD on minibatches for a few hundred steps, the gradients scaled
# down to a norm of 0.9 whenever it is larger. The names are a fixed list; the weights and the
# minibatches come from a seeded numpy generator, so both libraries start from the same numbers
# and see the same batches. Evaluation runs in eval mode (the batch norm's running statistics),
# and the model then completes a few prefixes greedily: each choice there wins by at least 0.04
# in probability, where float32 rounding moves it by about 1e-6, so rounding cannot change it.
# Run on PyTorch in float64, the program prints the same digits.
import numpy as np
import torch

WORDS = """emma olivia ava isabella sophia charlotte mia amelia harper evelyn abigail emily
elizabeth mila ella avery sofia camila aria scarlett victoria madison luna grace chloe penelope
layla riley zoey nora lily eleanor hannah lillian addison aubrey ellie stella natalie zoe leah
hazel violet aurora savannah audrey brooklyn bella claire skylar lucy paisley everly anna
caroline nova genesis emilia kennedy samantha maya willow kinsley naomi aaliyah elena sarah
ariana allison gabriella alice madelyn cora ruby eva serenity autumn adeline hailey gianna
valentina isla eliana quinn nevaeh ivy sadie piper lydia alexa josephine emery julia delilah
arianna vivian kaylee sophie brielle madeline liam noah william james oliver benjamin elijah
lucas mason logan alexander ethan jacob michael daniel henry jackson sebastian aiden matthew
samuel david joseph carter owen wyatt john jack luke jayden dylan grayson levi isaac gabriel
julian mateo anthony jaxon lincoln joshua christopher andrew theodore caleb ryan asher nathan
thomas leo isaiah charles josiah hudson christian hunter connor eli ezra aaron landon adrian
jonathan nolan jeremiah easton elias colton cameron carson robert angel maverick nicholas
dominic jaxson greyson adam ian austin santiago jordan cooper brayden roman evan ezekiel""".split()

BLOCK = 3  # characters of context
chars = sorted(set("".join(WORDS)))
stoi = {ch: i + 1 for i, ch in enumerate(chars)}
stoi["."] = 0  # marks the start and the end of a name
itos = {i: ch for ch, i in stoi.items()}
vocab_size = len(stoi)


def build_dataset(words):
    contexts, targets = [], []
    for word in words:
        context = [0] * BLOCK
        for ch in word + ".":
            contexts.append(context)
            targets.append(stoi[ch])
            context = context[1:] + [stoi[ch]]
    return np.array(contexts, dtype=np.int64), np.array(targets, dtype=np.int64)


train_words = [w for i, w in enumerate(WORDS) if i % 5 != 0]
val_words = [w for i, w in enumerate(WORDS) if i % 5 == 0]
Xtr_np, Ytr_np = build_dataset(train_words)
Xva_np, Yva_np = build_dataset(val_words)
Xtr, Ytr = torch.from_numpy(Xtr_np), torch.from_numpy(Ytr_np)
Xva, Yva = torch.from_numpy(Xva_np), torch.from_numpy(Yva_np)
print(f"vocabulary {vocab_size}, train {tuple(Xtr.shape)}, val {tuple(Xva.shape)}")

N_EMBD, N_HIDDEN = 8, 64
model = torch.nn.Sequential(
    torch.nn.Embedding(vocab_size, N_EMBD),
    torch.nn.Flatten(),
    torch.nn.Linear(BLOCK * N_EMBD, N_HIDDEN, bias=False),  # the batch norm's shift replaces it
    torch.nn.BatchNorm1d(N_HIDDEN),
    torch.nn.Tanh(),
    torch.nn.Linear(N_HIDDEN, vocab_size),
)
rng = np.random.default_rng(2024)
with torch.no_grad():
    model[0].weight.copy_(torch.tensor(rng.standard_normal((vocab_size, N_EMBD)),
                                       dtype=torch.float32))
    # tanh's gain 5/3 over the square root of the fan-in, as in the lectures
    fan_in = BLOCK * N_EMBD
    hidden = rng.standard_normal((N_HIDDEN, fan_in)) * (5 / 3) / fan_in**0.5
    model[2].weight.copy_(torch.tensor(hidden, dtype=torch.float32))
    # a small last layer: the first predictions are close to uniform
    model[5].weight.copy_(torch.tensor(rng.standard_normal((vocab_size, N_HIDDEN)) * 0.1,
                                       dtype=torch.float32))
    model[5].bias.zero_()
print("parameters:", sum(p.numel() for p in model.parameters()))
print("buffers:", [name for name, _ in model.named_buffers()])

optimizer = torch.optim.SGD(model.parameters(), lr=0.2)
model.train()
for step in range(400):
    batch = rng.integers(0, Xtr.shape[0], 32)
    logits = model(Xtr[batch])
    loss = torch.nn.functional.cross_entropy(logits, Ytr[batch])
    optimizer.zero_grad()
    loss.backward()
    norm = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=0.9)
    optimizer.step()
    if step == 300:
        for group in optimizer.param_groups:
            group["lr"] = 0.05
    if step % 50 == 0 or step == 399:
        print(f"step {step:3d}: loss {loss.item():.4f}, gradient norm {norm.item():.4f}")

model.eval()
with torch.no_grad():
    for name, X, Y in (("train", Xtr, Ytr), ("val", Xva, Yva)):
        print(f"{name} loss {torch.nn.functional.cross_entropy(model(X), Y).item():.4f}")
    bn = model[3]
    print("batches tracked:", bn.num_batches_tracked.item())
    print("running mean[:4]:", " ".join(f"{v:.4f}" for v in bn.running_mean[:4].tolist()))
    print("running var[:4]:", " ".join(f"{v:.4f}" for v in bn.running_var[:4].tolist()))
    for prefix in ("em", "ar", "da", "ol"):
        context = [0] * (BLOCK - len(prefix)) + [stoi[ch] for ch in prefix]
        word = prefix
        for _ in range(8):
            probs = torch.softmax(model(torch.tensor([context])), dim=1)
            ix = int(probs.argmax(dim=1).item())
            if ix == 0:
                break
            word += itos[ix]
            context = context[1:] + [ix]
        first = torch.softmax(model(torch.tensor([[0] * (BLOCK - len(prefix))
                                                  + [stoi[ch] for ch in prefix]])), dim=1)
        print(f"{prefix} -> {word} (p(next) = {first.max().item():.4f})")
