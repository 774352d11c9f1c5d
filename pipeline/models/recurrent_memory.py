"""Long short-term memory: why the LSTM remembers across 100 steps where a plain RNN forgets.

A plain (Elman) RNN sends its error signal back in time through one Jacobian per step,
dh_t/dh_{t-1} = diag(tanh') W_hh; over a lag of L steps the product shrinks (or blows up)
exponentially, so an event L steps before the target leaves no trace in the gradient
(Hochreiter 1991; Bengio, Simard & Frasconi 1994). Hochreiter & Schmidhuber's LSTM (1997) adds a
cell state updated additively, c_t = f_t * c_{t-1} + i_t * g_t: along c the Jacobian is just the
forget gate f_t, and with f_t close to 1 the error flows back unchanged (the "constant error
carousel"; the 1997 cell had no forget gate at all, i.e. f = 1, which a forget-gate bias of +5
imitates: sigmoid(5) = 0.993). The 1997 paper also starts the input gates negatively biased, so the
cell is not flooded by every input it sees ("internal state drift"). The GRU (Cho et al., 2014)
couples the two gates into one update gate z: h_t = z * h_{t-1} + (1 - z) * n_t.

The task: a sequence shows one of `tokens` symbols, then `lag` random distractor symbols, then a
recall cue; at the cue the network must name the first symbol. Chance is 1/tokens. Each cell type
is trained with the same Adam settings and the same sequences at every lag in `lags`; the metrics
come from the longest lag. We also measure |dL/dh_t| for every step t of one batch of longest-lag
sequences (and |dL/dc_t| for the LSTM's cell state), at initialisation and after training.

What it shows (default budget, 8 tokens, seed 0): at lag 100 the LSTM and the GRU recall the
token on 100% of held-out sequences while the RNN stays at chance (12% against 12.5%); at lags 10
and 30 all three learn it. At initialisation the RNN's |dL/dh_0| is 3e-27 of its |dL/dh_T|, while
the LSTM's cell state passes the gradient back undiminished (|dL/dc_0| / |dL/dc_T| = 1.06). Over
seeds 0-29 the LSTM reached 98-100% at lag 100. The biases matter: with a forget-gate bias of 1 the
LSTM stays at chance in the same budget, with +3 it depends on the seed (38-100%), and an input
bias of -2 instead of -3 left about a third of the seeds stuck with one token never recalled.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import nn

from pipeline.models.base import RunContext, TrainResult, seed_everything, to_list

METRICS = {
    "lstm_accuracy": "LSTM held-out recall accuracy at the longest lag",
    "gru_accuracy": "GRU held-out recall accuracy at the longest lag",
    "rnn_accuracy": "plain tanh RNN held-out recall accuracy at the longest lag",
    "chance": "accuracy of guessing: 1 / number of tokens",
    "lag": "the longest lag (distractor steps between the token and the recall cue)",
    "rnn_gradient_ratio": "RNN |dL/dh_0| / |dL/dh_T| at initialisation, longest lag",
    "lstm_gradient_ratio": "LSTM |dL/dh_0| / |dL/dh_T| at initialisation, longest lag",
    "lstm_cell_gradient_ratio": "LSTM |dL/dc_0| / |dL/dc_T| (the cell state) at initialisation, longest lag",
    "gru_gradient_ratio": "GRU |dL/dh_0| / |dL/dh_T| at initialisation, longest lag",
    "lstm_steps": "Adam steps the LSTM trained at the longest lag (fewer than `steps` if it solved the task)",
    "gru_steps": "Adam steps the GRU trained at the longest lag",
    "rnn_steps": "Adam steps the RNN trained at the longest lag",
}

CELLS = ("rnn", "lstm", "gru")


@dataclass(frozen=True)
class Config:
    lags: str = "10,30,100"  # comma-separated lags to train at; the metrics come from the longest
    tokens: int = 8  # symbols to remember (chance = 1/tokens)
    distractors: int = 8  # distinct distractor symbols filling the gap
    hidden: int = 32  # hidden units of every cell type
    steps: int = 500  # most Adam steps per cell type and lag, each on freshly drawn sequences
    solved_batches: int = 20  # stop early after this many batches in a row recalled without error
    batch_size: int = 128  # sequences per step
    learning_rate: float = 0.01  # Adam step size (constant: a decayed rate can leave a token stuck)
    clip: float = 1.0  # gradient-norm clipping (exploding gradients are the RNN's other failure)
    forget_bias: float = 5.0  # LSTM forget-gate bias: sigmoid(5) = 0.993, nearly the 1997 carousel
    input_bias: float = -3.0  # LSTM input-gate bias: negative, against internal state drift (1997)
    update_bias: float = 4.0  # GRU update-gate bias: z near 1 keeps the old state, as the LSTM does
    test_size: int = 2000  # held-out sequences per lag for the accuracy
    seed: int = 0  # seeds the weights and the sequences


BUDGETS = {
    "smoke": {"lags": "5,10", "steps": 60, "test_size": 500},
    "default": {},
    "full": {"lags": "10,25,50,100,200", "steps": 1500, "hidden": 64},
}


def parse_lags(text: str) -> list[int]:
    lags = sorted({int(part) for part in text.split(",") if part.strip()})
    if not lags or lags[0] < 1:
        raise ValueError(f"lags must be positive integers, got {text!r}")
    return lags


def make_sequences(count: int, lag: int, config: Config,
                   generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """One-hot sequences [count, lag + 2, vocab]: token, `lag` distractors, recall cue; targets [count]."""
    vocab = config.tokens + config.distractors + 1  # tokens, then distractors, then the cue
    targets = torch.randint(0, config.tokens, (count,), generator=generator)  # [count]
    symbols = torch.empty(count, lag + 2, dtype=torch.long)  # [count, lag + 2]
    symbols[:, 0] = targets
    symbols[:, 1:-1] = config.tokens + torch.randint(0, config.distractors, (count, lag), generator=generator)
    symbols[:, -1] = vocab - 1
    return nn.functional.one_hot(symbols, vocab).float(), targets


class Recaller(nn.Module):
    """One recurrent layer (RNN, LSTM or GRU) read out by a linear layer at the last step."""

    def __init__(self, cell: str, config: Config):
        super().__init__()
        vocab = config.tokens + config.distractors + 1
        recurrent = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[cell]
        self.cell = cell
        self.rnn = recurrent(vocab, config.hidden, batch_first=True)
        self.head = nn.Linear(config.hidden, config.tokens)
        size = config.hidden
        with torch.no_grad():  # PyTorch has two bias vectors per gate; we set b_ih and zero b_hh
            if cell == "lstm":  # gate order in the weights: input, forget, cell candidate, output
                self.rnn.bias_ih_l0[:size].fill_(config.input_bias)
                self.rnn.bias_ih_l0[size : 2 * size].fill_(config.forget_bias)
                self.rnn.bias_hh_l0[: 2 * size].zero_()
            elif cell == "gru":  # gate order: reset, update, candidate
                self.rnn.bias_ih_l0[size : 2 * size].fill_(config.update_bias)
                self.rnn.bias_hh_l0[size : 2 * size].zero_()

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        outputs, _ = self.rnn(inputs)  # [batch, steps, hidden]
        return self.head(outputs[:, -1])  # [batch, tokens]

    def unrolled(self, inputs: torch.Tensor) -> tuple[torch.Tensor, list[torch.Tensor], list[torch.Tensor]]:
        """The same computation written out one step at a time, keeping every h_t (and the LSTM's c_t).

        These are the cell equations with the layer's own weights, so every intermediate state is a
        tensor we can take the loss's gradient with respect to.
        """
        rnn = self.rnn
        hidden = inputs.new_zeros(inputs.shape[0], rnn.hidden_size)  # [batch, hidden]
        cell = torch.zeros_like(hidden)  # [batch, hidden], the LSTM's cell state
        hidden_states, cell_states = [], []
        for step in range(inputs.shape[1]):
            from_input = inputs[:, step] @ rnn.weight_ih_l0.T + rnn.bias_ih_l0  # [batch, gates * hidden]
            from_hidden = hidden @ rnn.weight_hh_l0.T + rnn.bias_hh_l0  # [batch, gates * hidden]
            if self.cell == "rnn":
                hidden = torch.tanh(from_input + from_hidden)
            elif self.cell == "lstm":
                i, f, g, o = (from_input + from_hidden).chunk(4, dim=1)  # [batch, hidden] each
                cell = torch.sigmoid(f) * cell + torch.sigmoid(i) * torch.tanh(g)  # the carousel
                hidden = torch.sigmoid(o) * torch.tanh(cell)
                cell_states.append(cell)
            else:
                r_in, z_in, n_in = from_input.chunk(3, dim=1)  # [batch, hidden] each
                r_h, z_h, n_h = from_hidden.chunk(3, dim=1)
                reset, update = torch.sigmoid(r_in + r_h), torch.sigmoid(z_in + z_h)
                candidate = torch.tanh(n_in + reset * n_h)
                hidden = update * hidden + (1 - update) * candidate
            hidden_states.append(hidden)
        return self.head(hidden), hidden_states, cell_states


def significant(values: list[float], digits: int = 4) -> list[float]:
    """Round to significant digits, not decimals: a 1e-30 gradient must not become 0."""
    return [float(f"{value:.{digits}g}") for value in values]


def gradient_through_time(model: Recaller, inputs: torch.Tensor,
                          targets: torch.Tensor) -> dict[str, list[float]]:
    """Mean over the batch of |dL/dh_t| for every step t (and |dL/dc_t| for the LSTM).

    Measured in float64: a plain RNN's gradient falls below float32's smallest number (1e-45)
    long before step 0, and we want to see how far it falls, not a zero.
    """
    model = copy.deepcopy(model).double()
    logits, hidden_states, cell_states = model.unrolled(inputs.double())
    loss = nn.functional.cross_entropy(logits, targets)
    gradients = torch.autograd.grad(loss, hidden_states + cell_states)
    norms = [gradient.norm(dim=1).mean().item() for gradient in gradients]
    steps = len(hidden_states)
    result = {"hidden": significant(norms[:steps])}
    if cell_states:
        result["cell"] = significant(norms[steps:])
    return result


@torch.no_grad()
def recall_accuracy(model: nn.Module, inputs: torch.Tensor, targets: torch.Tensor) -> float:
    model.eval()
    return (model(inputs).argmax(dim=1) == targets).float().mean().item()


def train_cell(cell: str, lag: int, config: Config, device: torch.device,
               advance: Callable[[int], None]) -> tuple[Recaller, list[float]]:
    """Train one cell type at one lag; every cell sees the same sequences in the same order."""
    generator = seed_everything(config.seed)
    model = Recaller(cell, config).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=config.learning_rate)
    losses = []
    solved = 0  # batches in a row without a single recall error
    model.train()
    for _ in range(config.steps):
        inputs, targets = make_sequences(config.batch_size, lag, config, generator)
        logits = model(inputs.to(device))  # [batch, tokens]
        loss = nn.functional.cross_entropy(logits, targets.to(device))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), config.clip)
        optimizer.step()
        losses.append(loss.item())
        advance(1)
        # Every batch is fresh, so a run of perfect batches is a held-out test: stop, the task is learnt.
        solved = solved + 1 if bool((logits.argmax(dim=1).cpu() == targets).all()) else 0
        if solved == config.solved_batches:
            advance(config.steps - len(losses))
            break
    return model, losses


def train(config: Config, context: RunContext) -> TrainResult:
    device = context.device
    lags = parse_lags(config.lags)
    longest = lags[-1]
    # A vanishing gradient turns into denormal floats, which slow CPU arithmetic a hundredfold.
    torch.set_flush_denormal(True)
    try:
        done, total = 0, len(CELLS) * len(lags) * config.steps

        def advance(steps: int) -> None:
            nonlocal done
            done += steps
            context.progress(done, total)

        test_generator = torch.Generator().manual_seed(config.seed + 10_000)  # never used for training
        tests = {lag: make_sequences(config.test_size, lag, config, test_generator) for lag in lags}
        probe_inputs, probe_targets = make_sequences(256, longest, config, test_generator)
        probe_inputs, probe_targets = probe_inputs.to(device), probe_targets.to(device)
        accuracy: dict[str, list[float]] = {cell: [] for cell in CELLS}
        gradients: dict[str, dict[str, dict[str, list[float]]]] = {}
        history: dict[str, list[float]] = {}
        state: dict[str, dict[str, torch.Tensor]] = {}
        for cell in CELLS:
            for lag in lags:
                if lag == longest:
                    seed_everything(config.seed)
                    initial = Recaller(cell, config).to(device)  # the weights train_cell starts from
                    gradients[cell] = {"initial": gradient_through_time(initial, probe_inputs, probe_targets)}
                model, losses = train_cell(cell, lag, config, device, advance)
                history[f"loss_{cell}_lag{lag}"] = losses
                test_inputs, test_targets = tests[lag]
                accuracy[cell].append(recall_accuracy(model, test_inputs.to(device), test_targets.to(device)))
                if lag == longest:
                    gradients[cell]["trained"] = gradient_through_time(model, probe_inputs, probe_targets)
                    state[cell] = {key: value.cpu() for key, value in model.state_dict().items()}
    finally:
        torch.set_flush_denormal(False)

    def ratio(norms: list[float]) -> float:
        return norms[0] / norms[-1]

    metrics = {
        "lstm_accuracy": accuracy["lstm"][-1],
        "gru_accuracy": accuracy["gru"][-1],
        "rnn_accuracy": accuracy["rnn"][-1],
        "chance": 1.0 / config.tokens,
        "lag": float(longest),
        "rnn_gradient_ratio": ratio(gradients["rnn"]["initial"]["hidden"]),
        "lstm_gradient_ratio": ratio(gradients["lstm"]["initial"]["hidden"]),
        "lstm_cell_gradient_ratio": ratio(gradients["lstm"]["initial"]["cell"]),
        "gru_gradient_ratio": ratio(gradients["gru"]["initial"]["hidden"]),
        **{f"{cell}_steps": float(len(history[f"loss_{cell}_lag{longest}"])) for cell in CELLS},
    }
    example = tests[lags[0]][0][0].argmax(dim=1)  # [lags[0] + 2] symbol ids of one sequence
    artifacts = {
        "lags": lags,
        "chance": 1.0 / config.tokens,
        # cell -> held-out accuracy at each lag of `lags`
        "accuracy": {cell: to_list(values, 4) for cell, values in accuracy.items()},
        # cell -> "initial"/"trained" -> "hidden" (and "cell" for the LSTM) -> |dL/d state_t|, t = 0..T
        "gradient_through_time": gradients,
        # one short test sequence as symbol ids: < tokens is a token, then distractors, last id the cue
        "example_sequence": [int(symbol) for symbol in example],
        "tokens": config.tokens,
        "distractors": config.distractors,
    }
    return TrainResult(metrics=metrics, history=history, artifacts=artifacts, state=state)
