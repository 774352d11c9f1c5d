"""Deep Q-Network (Mnih et al., 2013/2015) learning to play "catch" on a small grid.

The session-3 document's 2013 milestone: DeepMind applied reinforcement learning with a deep
network to Atari games such as Breakout. DQN learns Q(s, a), the expected discounted return of
taking action a in state s and playing well afterwards, by regressing Q(s, a) on the Bellman
target r + gamma max_a' Q_target(s', a'). Two devices made it stable: an experience replay buffer
(minibatches drawn from many past transitions, not the last few correlated ones) and a target
network (a copy of the Q-network, refreshed only every `target_every` steps, that gives the
targets).

The game, written here: a ball appears in a random column of the top row of a rows x columns
board and falls one row per step; the paddle on the bottom row starts in a random column and
each step moves left, stays or moves right. When the ball reaches the bottom row the episode ends
with reward +1 if the paddle is under it, -1 if not. The state the network sees is the board as
two one-hot planes (ball, paddle). The trained greedy agent is evaluated on every one of the
columns x columns starting positions; a random policy, in the same run, on `eval_episodes` random
episodes.

What it shows (default budget, 7 x 7 board, seeds 0-2): the greedy agent catches the ball from all
49 starting positions (catch rate 1.0); random actions catch 13-15%.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from pipeline.models.base import RunContext, TrainResult, seed_everything, to_list

METRICS = {
    "catch_rate_trained": "fraction of caught balls, greedy trained agent, every starting position once",
    "catch_rate_random": "fraction of caught balls, uniformly random actions (eval_episodes episodes)",
    "return_trained": "average return (+1 catch, -1 miss) of the greedy trained agent",
    "return_random": "average return of the random policy",
    "final_training_return": "average return over the last 10% of training episodes (with exploration)",
    "episodes": "training episodes played",
}

LEFT, STAY, RIGHT = 0, 1, 2
EMPTY, BALL, PADDLE, CAUGHT = 0, 1, 2, 3  # cell codes of the recorded frames


@dataclass(frozen=True)
class Config:
    rows: int = 7  # board height: the ball falls rows - 1 steps
    columns: int = 7  # board width
    hidden: int = 64  # units per hidden layer of the Q-network
    steps: int = 4000  # environment steps of training (one gradient step each, after warm-up)
    warmup: int = 200  # random transitions collected before learning starts
    buffer_size: int = 5000  # replay buffer capacity (oldest transitions are overwritten)
    batch_size: int = 32  # transitions per gradient step, drawn uniformly from the buffer
    gamma: float = 0.9  # discount factor
    learning_rate: float = 0.001  # Adam step size
    target_every: int = 100  # gradient steps between copies of the Q-network into the target network
    epsilon_start: float = 1.0  # exploration rate at the start (epsilon-greedy)
    epsilon_end: float = 0.05  # exploration rate after the decay
    epsilon_decay_fraction: float = 0.5  # fraction of the training steps over which epsilon decays linearly
    eval_episodes: int = 1000  # episodes of the random policy
    seed: int = 0  # seeds the network, the exploration and the ball/paddle positions


BUDGETS = {
    "smoke": {"steps": 300, "warmup": 50, "eval_episodes": 100},
    "default": {},
    "full": {"steps": 20000, "rows": 10, "columns": 10, "buffer_size": 20000},
}


class Catch:
    """The game state: ball (row, column) and paddle column; the paddle lives on the bottom row."""

    def __init__(self, config: Config):
        self.rows, self.columns = config.rows, config.columns

    def reset(self, ball_column: int, paddle_column: int) -> torch.Tensor:
        self.ball_row, self.ball_column, self.paddle = 0, ball_column, paddle_column
        return self.observe()

    def observe(self) -> torch.Tensor:
        planes = torch.zeros(2, self.rows, self.columns)  # [2, rows, columns]: ball plane, paddle plane
        planes[0, self.ball_row, self.ball_column] = 1.0
        planes[1, self.rows - 1, self.paddle] = 1.0
        return planes.flatten()  # [2 * rows * columns]

    def step(self, action: int) -> tuple[torch.Tensor, float, bool]:
        self.paddle = min(max(self.paddle + action - 1, 0), self.columns - 1)
        self.ball_row += 1
        done = self.ball_row == self.rows - 1
        reward = (1.0 if self.paddle == self.ball_column else -1.0) if done else 0.0
        return self.observe(), reward, done

    def frame(self) -> list[list[int]]:
        grid = [[EMPTY] * self.columns for _ in range(self.rows)]
        grid[self.rows - 1][self.paddle] = PADDLE
        caught = self.ball_row == self.rows - 1 and self.paddle == self.ball_column
        grid[self.ball_row][self.ball_column] = CAUGHT if caught else BALL
        return grid


def q_network(config: Config) -> nn.Module:
    inputs = 2 * config.rows * config.columns
    return nn.Sequential(nn.Linear(inputs, config.hidden), nn.ReLU(), nn.Linear(config.hidden, config.hidden),
                         nn.ReLU(), nn.Linear(config.hidden, 3))  # [batch, inputs] -> Q [batch, 3]


class ReplayBuffer:
    """A ring buffer of transitions (s, a, r, s', done), sampled uniformly."""

    def __init__(self, capacity: int, state_size: int):
        self.states = torch.zeros(capacity, state_size)
        self.actions = torch.zeros(capacity, dtype=torch.long)
        self.rewards = torch.zeros(capacity)
        self.next_states = torch.zeros(capacity, state_size)
        self.dones = torch.zeros(capacity)
        self.capacity, self.size, self.position = capacity, 0, 0

    def add(self, state, action, reward, next_state, done) -> None:
        i = self.position
        self.states[i], self.actions[i], self.rewards[i] = state, action, reward
        self.next_states[i], self.dones[i] = next_state, float(done)
        self.position = (i + 1) % self.capacity
        self.size = min(self.size + 1, self.capacity)

    def sample(self, count: int, generator: torch.Generator,
               device: torch.device) -> tuple[torch.Tensor, ...]:
        index = torch.randint(0, self.size, (count,), generator=generator)
        return tuple(t[index].to(device) for t in (self.states, self.actions, self.rewards, self.next_states,
                                                     self.dones))


@torch.no_grad()
def greedy_action(network: nn.Module, state: torch.Tensor, device: torch.device) -> tuple[int, list[float]]:
    q_values = network(state.to(device)[None])[0]  # [3]
    return int(q_values.argmax().item()), q_values.cpu().tolist()


def play(env: Catch, ball: int, paddle: int, choose) -> tuple[float, list[list[list[int]]], list[int], list]:
    """One episode from the given start; returns (return, frames, actions, Q-values per step)."""
    state = env.reset(ball, paddle)
    frames, actions, q_values = [env.frame()], [], []
    while True:
        action, q = choose(state)
        state, reward, done = env.step(action)
        frames.append(env.frame())
        actions.append(action)
        q_values.append(q)
        if done:
            return reward, frames, actions, q_values


def train(config: Config, context: RunContext) -> TrainResult:
    rng = seed_everything(config.seed)
    device = context.device
    env = Catch(config)
    online = q_network(config).to(device)
    target = q_network(config).to(device)
    target.load_state_dict(online.state_dict())
    optimizer = torch.optim.Adam(online.parameters(), lr=config.learning_rate)
    buffer = ReplayBuffer(config.buffer_size, 2 * config.rows * config.columns)

    def random_start() -> tuple[int, int]:
        ball, paddle = torch.randint(0, config.columns, (2,), generator=rng).tolist()
        return ball, paddle

    history: dict[str, list[float]] = {"episode_return": [], "loss": [], "epsilon": []}
    state = env.reset(*random_start())
    updates = 0
    for step in range(config.steps):
        decay_steps = max(1, config.epsilon_decay_fraction * config.steps)
        epsilon = max(config.epsilon_end, config.epsilon_start
                      - (config.epsilon_start - config.epsilon_end) * step / decay_steps)
        if step < config.warmup or torch.rand(1, generator=rng).item() < epsilon:
            action = int(torch.randint(0, 3, (1,), generator=rng).item())
        else:
            action, _ = greedy_action(online, state, device)
        next_state, reward, done = env.step(action)
        buffer.add(state, action, reward, next_state, done)
        state = next_state
        if done:
            history["episode_return"].append(reward)
            history["epsilon"].append(epsilon)
            state = env.reset(*random_start())
        if step >= config.warmup:
            states, actions, rewards, next_states, dones = buffer.sample(config.batch_size, rng, device)
            with torch.no_grad():  # Bellman target from the frozen target network
                bootstrap = target(next_states).max(dim=1).values  # [batch]
                targets = rewards + config.gamma * (1 - dones) * bootstrap  # [batch]
            chosen = online(states).gather(1, actions[:, None])[:, 0]  # Q(s, a) [batch]
            loss = nn.functional.smooth_l1_loss(chosen, targets)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            history["loss"].append(loss.item())
            updates += 1
            if updates % config.target_every == 0:
                target.load_state_dict(online.state_dict())
        if (step + 1) % 100 == 0 or step + 1 == config.steps:
            context.progress(step + 1, config.steps)

    online.eval()
    trained = [play(env, ball, paddle, lambda s: greedy_action(online, s, device))
               for ball in range(config.columns) for paddle in range(config.columns)]

    def random_action(state: torch.Tensor) -> tuple[int, list[float]]:
        return int(torch.randint(0, 3, (1,), generator=rng)), []

    random_returns = [play(env, *random_start(), random_action)[0] for _ in range(config.eval_episodes)]
    trained_returns = [episode[0] for episode in trained]
    returns = history["episode_return"]
    tail = max(1, len(returns) // 10)
    metrics = {
        "catch_rate_trained": sum(r > 0 for r in trained_returns) / len(trained_returns),
        "catch_rate_random": sum(r > 0 for r in random_returns) / len(random_returns),
        "return_trained": sum(trained_returns) / len(trained_returns),
        "return_random": sum(random_returns) / len(random_returns),
        "final_training_return": sum(returns[-tail:]) / tail,
        "episodes": float(len(returns)),
    }
    # Episodes to replay: the ball far from the paddle, so the agent has to travel.
    far = [(0, config.columns - 1), (config.columns - 1, 0), (config.columns // 2, 0)]
    recorded = []
    for ball, paddle in far:
        episode_return, frames, actions, q_values = trained[ball * config.columns + paddle]
        recorded.append({"ball_column": ball, "paddle_column": paddle, "return": episode_return,
                         "frames": frames, "actions": actions, "q_values": to_list(q_values, 3)})
    artifacts = {
        "board": {"rows": config.rows, "columns": config.columns},
        "cell_codes": {"empty": EMPTY, "ball": BALL, "paddle": PADDLE, "caught": CAUGHT},
        "action_names": ["left", "stay", "right"],
        "episodes": recorded,  # frames: [steps + 1][rows][columns] cell codes
        # catch (1) or miss (0) of the greedy agent for every start: [ball column][paddle column]
        "caught_by_start": [[int(trained[b * config.columns + p][0] > 0) for p in range(config.columns)]
                            for b in range(config.columns)],
    }
    state_dict = {"q_network": {k: v.cpu() for k, v in online.state_dict().items()}}
    return TrainResult(metrics=metrics, history=history, artifacts=artifacts, state=state_dict)
