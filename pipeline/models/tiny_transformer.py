"""A tiny transformer that learns to reverse a sequence, and whose attention shows how.

The transformer (Vaswani et al., 2017) drops recurrence: every position looks at every other
position it may see through scaled dot-product attention, softmax(QK^T / sqrt(d)) V, split over
several heads, with positional encodings (sinusoids of different frequencies) as the only sign of
order. Stacked with residual connections, layer normalisation and a per-position MLP, this is the
block of GPT (Radford et al., 2018), which adds a causal mask so that position t sees only 0..t.

The task makes attention readable: the model reads `length` syllables, a delimiter `|`, and must
then write the syllables in reverse order, one at a time, as a GPT writes text (causal mask,
next-token loss on the reversed half only). To write the j-th output the model must copy input
position length-1-j, so a head that has learned the task attends along an anti-diagonal. We check
that directly: for every output query of held-out sequences, is the attention's argmax the
mirrored input position? And the same for the untrained model as a baseline.

What it shows (default budget, seeds 0-2): greedy generation reverses every held-out sequence
(100% of tokens) after 8 epochs, and the best head's attention argmax lands on the mirrored input
for 93-98% of the output queries, against 9-10% for the same model untrained.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import torch
from torch import nn

from pipeline.models.base import RunContext, TrainResult, seed_everything, to_list
from pipeline.models.trainer import FitConfig, fit

METRICS = {
    "token_accuracy": "held-out reversal, greedy generation: fraction of output tokens right",
    "sequence_accuracy": "held-out reversal, greedy generation: fraction of sequences entirely right",
    "mirror_attention_rate": "best head: share of held-out output queries whose argmax is the mirrored input",
    "mirror_attention_rate_mean": "the same for the attention averaged over the last layer's heads",
    "mirror_attention_rate_untrained": "best head of the untrained model (the baseline)",
    "final_loss": "training cross entropy in the last epoch (reversed half only)",
}

SYMBOLS = list("가나다라마바사아자차카타파하")  # the syllables sequences are made of
DELIMITER = "|"  # separates the input from its reversal


@dataclass(frozen=True)
class Config:
    length: int = 8  # syllables per input sequence (the output has as many)
    symbols: int = 10  # distinct syllables used (at most 14)
    train_size: int = 4000  # training sequences (the held-out ones are never among them)
    test_size: int = 1000  # held-out sequences for the metrics
    embedding: int = 64  # model width d_model
    heads: int = 2  # attention heads per layer
    layers: int = 1  # transformer blocks
    positions: Literal["sinusoidal", "learned"] = "sinusoidal"  # positional encoding
    epochs: int = 8  # passes over the training sequences
    batch_size: int = 64  # sequences per Adam step
    learning_rate: float = 0.003  # Adam step size
    seed: int = 0  # seeds the data, the weights and the batch order


BUDGETS = {
    "smoke": {"epochs": 3, "train_size": 1000, "test_size": 200},
    "default": {},
    "full": {"length": 12, "layers": 2, "heads": 4, "embedding": 128, "train_size": 20000, "epochs": 60},
}


def make_sequences(count: int, config: Config, generator: torch.Generator,
                   exclude: set[tuple[int, ...]] | None = None) -> torch.Tensor:
    """`count` distinct sequences [count, 2 * length + 1]: syllables, delimiter, the syllables reversed.

    Token ids: 0..symbols-1 are syllables, `symbols` is the delimiter. Inputs in `exclude` are skipped.
    """
    exclude = exclude or set()
    if count + len(exclude) > config.symbols**config.length:
        raise ValueError(f"only {config.symbols ** config.length} distinct sequences of {config.length} "
                         f"syllables exist; {count} more than {len(exclude)} excluded ones were asked for")
    seen: set[tuple[int, ...]] = set()
    rows = []
    while len(rows) < count:
        inputs = torch.randint(0, config.symbols, (count, config.length), generator=generator)  # [count, L]
        for row in inputs:
            key = tuple(row.tolist())
            if key not in seen and key not in exclude and len(rows) < count:
                seen.add(key)
                rows.append(row)
    inputs = torch.stack(rows)  # [count, length]
    delimiter = torch.full((count, 1), config.symbols)  # [count, 1]
    return torch.cat([inputs, delimiter, inputs.flip(1)], dim=1)  # [count, 2 * length + 1]


def sinusoids(count: int, width: int) -> torch.Tensor:
    """Vaswani et al.'s encoding [count, width]: sin and cos of the position at geometric frequencies."""
    position = torch.arange(count).float()[:, None]  # [count, 1]
    frequency = torch.exp(-math.log(10000.0) * torch.arange(0, width, 2).float() / width)  # [width / 2]
    table = torch.zeros(count, width)
    table[:, 0::2] = torch.sin(position * frequency)
    table[:, 1::2] = torch.cos(position * frequency)
    return table


class CausalSelfAttention(nn.Module):
    """Multi-head scaled dot-product attention; position t attends to positions 0..t only."""

    def __init__(self, config: Config, context: int):
        super().__init__()
        self.heads = config.heads
        self.qkv = nn.Linear(config.embedding, 3 * config.embedding)
        self.out = nn.Linear(config.embedding, config.embedding)
        self.register_buffer("mask", torch.tril(torch.ones(context, context, dtype=torch.bool)))
        self.last_attention: torch.Tensor | None = None  # [batch, heads, T, T], kept for the pictures

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        batch, steps, width = x.shape  # [batch, T, d]
        q, k, v = self.qkv(x).split(width, dim=2)  # [batch, T, d] each
        q, k, v = (t.view(batch, steps, self.heads, width // self.heads).transpose(1, 2) for t in (q, k, v))
        scores = q @ k.transpose(-2, -1) / math.sqrt(k.shape[-1])  # [batch, heads, T, T]
        scores = scores.masked_fill(~self.mask[:steps, :steps], float("-inf"))
        attention = torch.softmax(scores, dim=-1)  # [batch, heads, T, T]: row = query, column = key
        self.last_attention = attention.detach()
        mixed = (attention @ v).transpose(1, 2).reshape(batch, steps, width)  # [batch, T, d]
        return self.out(mixed)


class Block(nn.Module):
    """Pre-norm transformer block: x + attention(norm(x)), then x + MLP(norm(x))."""

    def __init__(self, config: Config, context: int):
        super().__init__()
        self.norm1 = nn.LayerNorm(config.embedding)
        self.attention = CausalSelfAttention(config, context)
        self.norm2 = nn.LayerNorm(config.embedding)
        self.mlp = nn.Sequential(nn.Linear(config.embedding, 4 * config.embedding), nn.GELU(),
                                 nn.Linear(4 * config.embedding, config.embedding))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attention(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class TinyTransformer(nn.Module):
    """Token embedding + positional encoding -> blocks -> layer norm -> next-token logits."""

    def __init__(self, config: Config):
        super().__init__()
        context = 2 * config.length  # the model reads everything but the last output token
        self.embed = nn.Embedding(config.symbols + 1, config.embedding)
        if config.positions == "learned":
            self.position = nn.Parameter(torch.randn(context, config.embedding) * 0.02)
        else:
            self.register_buffer("position", sinusoids(context, config.embedding))
        self.blocks = nn.ModuleList(Block(config, context) for _ in range(config.layers))
        self.norm = nn.LayerNorm(config.embedding)
        self.head = nn.Linear(config.embedding, config.symbols + 1)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        x = self.embed(tokens) + self.position[: tokens.shape[1]]  # [batch, T, d]
        for block in self.blocks:
            x = block(x)
        return self.head(self.norm(x))  # [batch, T, vocab]

    def attention_maps(self) -> torch.Tensor:
        """The last forward pass's attention: [layers, batch, heads, T, T]."""
        return torch.stack([block.attention.last_attention for block in self.blocks])


def split(sequences: torch.Tensor, length: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Model inputs [N, 2L] and next-token targets [N, 2L], with -100 (ignored) on the input half.

    The target at position t is token t+1; only the reversed half (after the delimiter) is scored.
    """
    inputs, targets = sequences[:, :-1], sequences[:, 1:].clone()
    targets[:, : length] = -100  # positions 0..L-1 would predict input syllables: random, not scored
    return inputs, targets


def next_token_loss(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    return nn.functional.cross_entropy(logits.flatten(0, 1), targets.flatten(), ignore_index=-100)


@torch.no_grad()
def generate(model: TinyTransformer, prompts: torch.Tensor, length: int) -> torch.Tensor:
    """Greedy decoding: from prompts [N, L + 1] (syllables and delimiter) write L tokens: [N, L]."""
    model.eval()
    tokens = prompts
    for _ in range(length):
        next_token = model(tokens)[:, -1].argmax(dim=-1, keepdim=True)  # [N, 1]
        tokens = torch.cat([tokens, next_token], dim=1)
    return tokens[:, prompts.shape[1] :]


@torch.no_grad()
def mirror_hits(model: TinyTransformer, sequences: torch.Tensor,
                length: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Fraction of output queries whose attention argmax is the mirrored input position.

    The query at position L + j (the delimiter for j = 0) predicts output j, a copy of input
    L - 1 - j. Returns the rate per layer and head [layers, heads] and for the head average [layers].
    """
    model.eval()
    inputs, _ = split(sequences, length)
    model(inputs)
    maps = model.attention_maps()[:, :, :, length:, :]  # [layers, N, heads, L, T]: output queries only
    mirrored = torch.arange(length - 1, -1, -1, device=maps.device)  # [L]: query j -> key L-1-j
    per_head = (maps.argmax(dim=-1) == mirrored).float().mean(dim=(1, 3))  # [layers, heads]
    averaged = (maps.mean(dim=2).argmax(dim=-1) == mirrored).float().mean(dim=(1, 2))  # [layers]
    return per_head, averaged


def train(config: Config, context: RunContext) -> TrainResult:
    if config.symbols > len(SYMBOLS):
        raise ValueError(f"symbols must be at most {len(SYMBOLS)}, got {config.symbols}")
    generator = seed_everything(config.seed)
    device = context.device
    train_sequences = make_sequences(config.train_size, config, generator)  # [N, 2L + 1]
    seen = {tuple(row.tolist()) for row in train_sequences[:, : config.length]}
    test_sequences = make_sequences(config.test_size, config, generator, exclude=seen).to(device)
    train_inputs, train_targets = split(train_sequences, config.length)
    test_inputs, test_targets = split(test_sequences, config.length)
    model = TinyTransformer(config).to(device)
    untrained_per_head, _ = mirror_hits(model, test_sequences, config.length)  # the baseline

    # Measured before training (epoch 0) and after every epoch.
    history: dict[str, list[float]] = {"test_token_accuracy": [], "mirror_attention_rate": []}

    def record(epoch: int, fit_history: dict[str, list[float]] | None = None) -> None:
        with torch.no_grad():  # teacher-forced: each output position sees the true earlier outputs
            predictions = model(test_inputs).argmax(dim=-1)  # [M, 2L]
        scored = test_targets != -100
        accuracy = (predictions[scored] == test_targets[scored]).float().mean().item()
        history["test_token_accuracy"].append(accuracy)
        per_head, _ = mirror_hits(model, test_sequences, config.length)
        history["mirror_attention_rate"].append(per_head.max().item())

    record(-1)
    optimizer = torch.optim.AdamW(model.parameters(), lr=config.learning_rate, weight_decay=0.01)
    fit_history = fit(model, train_inputs, train_targets, next_token_loss, optimizer,
                      FitConfig(epochs=config.epochs, batch_size=config.batch_size, callbacks=[record]),
                      context, generator)
    history["train_loss"] = fit_history["train_loss"]

    prompts = test_sequences[:, : config.length + 1]  # [M, L + 1]: syllables and delimiter
    written = generate(model, prompts, config.length)  # [M, L]
    correct = written == test_sequences[:, config.length + 1 :]  # [M, L]
    per_head, averaged = mirror_hits(model, test_sequences, config.length)

    example = test_sequences[:1]  # [1, 2L + 1]
    written_example = generate(model, example[:, : config.length + 1], config.length)[0].tolist()  # [L]
    model.eval()
    with torch.no_grad():
        model(example[:, :-1])
    maps = model.attention_maps()[:, 0]  # [layers, heads, 2L, 2L]
    vocabulary = [*SYMBOLS[: config.symbols], DELIMITER]
    metrics = {
        "token_accuracy": correct.float().mean().item(),
        "sequence_accuracy": correct.all(dim=1).float().mean().item(),
        "mirror_attention_rate": per_head.max().item(),
        "mirror_attention_rate_mean": averaged[-1].item(),
        "mirror_attention_rate_untrained": untrained_per_head.max().item(),
        "final_loss": history["train_loss"][-1],
    }
    artifacts = {
        "vocabulary": vocabulary,
        "length": config.length,
        # one held-out example: the tokens the model reads (queries and keys of the maps), the whole sequence
        "tokens": [vocabulary[i] for i in example[0, :-1].tolist()],
        "sequence": [vocabulary[i] for i in example[0].tolist()],
        "generated": [vocabulary[i] for i in written_example],
        # [layer][head][query][key] attention weights for the example (rows: queries, causal)
        "attention": to_list(maps, 4),
        # [layer][head] fraction of held-out output queries whose argmax is the mirrored input
        "mirror_rate_per_head": to_list(per_head, 4),
        "mirror_rate_per_head_untrained": to_list(untrained_per_head, 4),
    }
    state = {key: value.cpu() for key, value in model.state_dict().items()}
    return TrainResult(metrics=metrics, history=history, artifacts=artifacts, state=state)
