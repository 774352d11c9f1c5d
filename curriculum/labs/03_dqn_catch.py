# %% [markdown]
# # 실습 3-2. Q-러닝 목표값과 ε-탐욕 정책 구현하기
#
# DQN(딥마인드, 2013)의 두 가지 핵심 부품을 직접 구현합니다.
#
# 1. **Q-러닝 목표값** $y = r + \gamma \max_{a'} Q(s', a')$ (게임이 끝난 전이에서는 $y = r$)
# 2. **ε-탐욕 행동 선택**: 확률 ε로 무작위 행동, 나머지는 Q값이 가장 큰 행동
#
# 손으로 만든 작은 배치로 두 함수를 확인한 뒤, 빌드가 학습시킨 **참조 모델**(`models/s3_dqn_catch`)의
# 체크포인트(Q-네트워크의 가중치)와 `run.json`(게임판 크기 등 설정)을 불러와 공 받기 게임에서 평가하고,
# 무작위 정책과 비교합니다. 참조 모델을 다시 학습시키지 않고 체크포인트를 그대로 씁니다.
#
# `TODO`라고 표시된 칸을 채우고, 아래의 확인 칸이 모두 통과하면 완성입니다.

# %% tags=["parameters"]
# 빌드가 실행할 때 이 값들을 바꿔 넣습니다 (프로필, 장치, 시드, 모델 위치).
profile = "default"
budget = "default"
device = "cpu"
seed = 0
models_dir = "models"

# %%
import json
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib import font_manager
from torch import nn

# 한글 축 이름이 네모로 깨지지 않도록 설치된 한글 글꼴을 고릅니다.
korean_fonts = [f.name for f in font_manager.fontManager.ttflist if "CJK KR" in f.name]
if korean_fonts:
    plt.rcParams["font.family"] = korean_fonts[0]
plt.rcParams["axes.unicode_minus"] = False

torch.manual_seed(seed)
reference = Path(models_dir) / "s3_dqn_catch"
run = json.loads((reference / "run.json").read_text(encoding="utf-8"))
reference_metrics = json.loads((reference / "metrics.json").read_text(encoding="utf-8"))
checkpoint = torch.load(reference / "checkpoint.pt", weights_only=True)
config = run["config"]
rows, columns, gamma = config["rows"], config["columns"], config["gamma"]
print(f"게임판 {rows}×{columns}, 할인율 γ = {gamma}, 은닉 유닛 {config['hidden']}개, 학습 단계 {config['steps']}")

# %% [markdown]
# ## 0. 공 받기 게임
#
# 참조 모델이 학습한 게임과 같은 규칙입니다 (`pipeline/models/dqn_catch.py`).
#
# - 공이 맨 윗줄의 한 열에서 시작해 매 단계 한 줄씩 떨어집니다.
# - 바닥 줄의 막대는 매 단계 **왼쪽(0), 제자리(1), 오른쪽(2)** 중 하나로 움직입니다 (벽에서는 더 가지 않음).
# - 공이 바닥 줄에 닿으면 게임이 끝나고, 막대가 그 아래에 있으면 보상 +1, 아니면 -1입니다. 그 전의 보상은 0입니다.
# - 네트워크가 보는 상태는 게임판을 두 장의 원-핫 평면(공, 막대)으로 펼친 $2 \times$ rows $\times$ columns 개의 숫자입니다.

# %%
class Catch:
    def __init__(self, rows, columns):
        self.rows, self.columns = rows, columns

    def reset(self, ball_column, paddle_column):
        self.ball_row, self.ball_column, self.paddle = 0, ball_column, paddle_column
        return self.observe()

    def observe(self):
        planes = torch.zeros(2, self.rows, self.columns)  # [공 평면, 막대 평면]
        planes[0, self.ball_row, self.ball_column] = 1.0
        planes[1, self.rows - 1, self.paddle] = 1.0
        return planes.flatten()

    def step(self, action):
        self.paddle = min(max(self.paddle + action - 1, 0), self.columns - 1)
        self.ball_row += 1
        done = self.ball_row == self.rows - 1
        reward = (1.0 if self.paddle == self.ball_column else -1.0) if done else 0.0
        return self.observe(), reward, done


env = Catch(rows, columns)

# %% [markdown]
# ## 1. Q-러닝 목표값
#
# 미니배치의 전이 $(s, a, r, s', \text{done})$마다 목표값을 계산합니다.
#
# $$y = r + \gamma\, (1 - \text{done}) \max_{a'} Q(s', a')$$
#
# `next_q`는 목표 네트워크가 다음 상태에서 낸 Q값 `[batch, 행동 수]`, `rewards`와 `dones`는 `[batch]` 텐서입니다
# (`dones`는 게임이 끝났으면 1.0, 아니면 0.0). 게임이 끝난 전이에는 다음 상태가 없으므로 `next_q`를 **무시**해야 합니다.

# %%
def q_targets(rewards, next_q, dones, gamma):
    """Q-러닝 목표값 [batch]."""
    ### BEGIN SOLUTION
    return rewards + gamma * (1 - dones) * next_q.max(dim=1).values
    ### END SOLUTION


# %% [markdown]
# 손으로 계산할 수 있는 배치로 확인합니다. 세 번째 전이는 게임이 끝난 전이라, 다음 상태의 Q값이 아무리 커도 목표값은 보상 -1 그대로입니다.

# %%
rewards = torch.tensor([0.0, 0.0, -1.0, 1.0])
next_q = torch.tensor([[0.1, 0.5, -0.2],
                       [-0.3, -0.4, -0.1],
                       [9.0, 9.0, 9.0],
                       [0.2, 0.0, 0.0]])
dones = torch.tensor([0.0, 0.0, 1.0, 1.0])
targets = q_targets(rewards, next_q, dones, gamma=0.9)
print(f"목표값: {targets.tolist()}")
assert torch.allclose(targets, torch.tensor([0.45, -0.09, -1.0, 1.0])), "목표값이 틀렸습니다"
print("확인 완료: 끝나지 않은 전이는 r + γ·max Q, 끝난 전이는 r입니다.")

# %% [markdown]
# ## 2. ε-탐욕 행동 선택
#
# 학습 중 에이전트는 확률 ε로 세 행동 중 하나를 **균등하게** 무작위로 고르고, 나머지 경우에는 Q값이 가장 큰 행동을 고릅니다.
# `q_values`는 한 상태의 Q값 `[행동 수]`입니다. 무작위 수는 꼭 주어진 `generator`로 뽑으세요
# (`torch.rand(1, generator=generator)`, `torch.randint(0, n, (1,), generator=generator)`). 행동 번호를 `int`로 돌려줍니다.

# %%
def epsilon_greedy(q_values, epsilon, generator):
    """ε-탐욕 정책으로 고른 행동 (int)."""
    ### BEGIN SOLUTION
    if torch.rand(1, generator=generator).item() < epsilon:
        return int(torch.randint(0, len(q_values), (1,), generator=generator).item())
    return int(q_values.argmax().item())
    ### END SOLUTION


# %% [markdown]
# 확인: ε = 0이면 항상 가장 큰 Q값의 행동, ε = 1이면 세 행동이 거의 같은 비율로,
# ε = 0.3이면 가장 좋은 행동이 약 $0.7 + 0.3 / 3 = 0.8$의 비율로 나와야 합니다.

# %%
generator = torch.Generator().manual_seed(seed)
q_example = torch.tensor([0.2, -0.5, 0.7])  # 가장 좋은 행동은 2 (오른쪽)
draws = 3000


def action_shares(epsilon):
    counts = np.bincount([epsilon_greedy(q_example, epsilon, generator) for _ in range(draws)], minlength=3)
    return counts / draws


shares = {epsilon: action_shares(epsilon) for epsilon in (0.0, 0.3, 1.0)}
for epsilon, share in shares.items():
    print(f"ε = {epsilon}: 행동 비율 (왼쪽, 제자리, 오른쪽) = {share.round(3)}")
assert shares[0.0][2] == 1.0, "ε = 0이면 항상 가장 좋은 행동을 골라야 합니다"
assert np.all(np.abs(shares[1.0] - 1 / 3) < 0.04), "ε = 1이면 세 행동이 균등해야 합니다"
assert abs(shares[0.3][2] - 0.8) < 0.04 and abs(shares[0.3][0] - 0.1) < 0.03, "ε = 0.3의 비율이 맞지 않습니다"
print("확인 완료: ε만큼 탐험하고 나머지는 가장 좋은 행동을 고릅니다.")

# %% [markdown]
# ## 3. 참조 모델 불러오기
#
# 체크포인트에는 학습된 Q-네트워크의 가중치가 `checkpoint["state"]["q_network"]`에 들어 있습니다.
# 구조는 참조 모델과 같은 MLP(입력 → 은닉 → 은닉 → 행동 3개)입니다.

# %%
inputs = 2 * rows * columns
q_network = nn.Sequential(nn.Linear(inputs, config["hidden"]), nn.ReLU(),
                          nn.Linear(config["hidden"], config["hidden"]), nn.ReLU(),
                          nn.Linear(config["hidden"], 3))
q_network.load_state_dict(checkpoint["state"]["q_network"])
q_network.eval()

state = env.reset(0, columns - 1)  # 공은 왼쪽 끝, 막대는 오른쪽 끝
with torch.no_grad():
    print(f"공이 왼쪽 끝, 막대가 오른쪽 끝일 때 Q(왼쪽, 제자리, 오른쪽) = {q_network(state[None])[0].numpy().round(3)}")

# %% [markdown]
# ## 4. 평가: 학습된 정책 vs 무작위 정책
#
# 여러분의 `epsilon_greedy`로 정책을 만들어 평가합니다. ε = 0이면 학습된 Q-네트워크를 그대로 따르는 탐욕 정책,
# ε = 1이면 완전한 무작위 정책입니다. 탐욕 정책은 참조 모델처럼 공과 막대의 **모든 시작 위치 조합**에서 한 번씩,
# 나머지는 무작위 시작 위치에서 여러 판을 둡니다.

# %%
def play(ball, paddle, epsilon):
    state = env.reset(ball, paddle)
    while True:
        with torch.no_grad():
            q_values = q_network(state[None])[0]
        state, reward, done = env.step(epsilon_greedy(q_values, epsilon, generator))
        if done:
            return reward


def catch_rate(epsilon, episodes=None):
    if episodes is None:  # 모든 시작 위치에서 한 번씩
        starts = [(ball, paddle) for ball in range(columns) for paddle in range(columns)]
    else:
        starts = torch.randint(0, columns, (episodes, 2), generator=generator).tolist()
    return np.mean([play(ball, paddle, epsilon) > 0 for ball, paddle in starts])


episodes = 200 if budget == "smoke" else 1000
greedy_rate = catch_rate(0.0)
rates = {"탐욕 (ε = 0)": greedy_rate}
for epsilon in (0.1, 0.5, 1.0):
    rates[f"ε = {epsilon}"] = catch_rate(epsilon, episodes)
for name, rate in rates.items():
    print(f"{name:>12}: 공을 받은 비율 {rate:.1%}")
print(f"참조 모델의 metrics.json: 학습된 정책 {reference_metrics['catch_rate_trained']:.1%}, "
      f"무작위 정책 {reference_metrics['catch_rate_random']:.1%}")

# 같은 게임, 같은 네트워크, 같은 시작 위치이므로 (동점인 Q값이 없다면) 참조 모델과 똑같아야 합니다.
assert abs(greedy_rate - reference_metrics["catch_rate_trained"]) <= 1 / columns**2 + 1e-9, \
    "탐욕 정책의 결과가 참조 모델과 다릅니다"
print("확인 완료: 같은 게임, 같은 네트워크에서 참조 모델과 같은 결과가 나왔습니다.")

# %%
figure, axis = plt.subplots(figsize=(7, 4))
bars = axis.bar(list(rates), list(rates.values()), color=["#2e86ab", "#66a182", "#edae49", "#d1495b"])
for bar, rate in zip(bars, rates.values(), strict=True):
    axis.text(bar.get_x() + bar.get_width() / 2, rate + 0.02, f"{rate:.0%}", ha="center")
axis.set_ylim(0, 1.1)
axis.set_ylabel("공을 받은 비율")
axis.set_title(f"{rows}×{columns} 공 받기: 탐험을 늘릴수록 성적이 떨어진다")
plt.show()

# %% [markdown]
# ## 5. 이론상 무작위 정책의 성적
#
# 무작위 정책이 공을 받을 확률은 계산할 수도 있습니다. 막대는 rows − 1 번 움직이고, 매번 -1, 0, +1 중 하나를 균등하게 고릅니다
# (벽에서는 멈춤). 모든 시작 위치에 대해 막대 위치의 확률 분포를 한 단계씩 굴려 보면 정확한 값이 나옵니다.

# %%
def random_policy_catch_probability():
    total = 0.0
    for ball in range(columns):
        for paddle in range(columns):
            distribution = np.zeros(columns)
            distribution[paddle] = 1.0
            for _ in range(rows - 1):
                moved = np.zeros(columns)
                for position, probability in enumerate(distribution):
                    for move in (-1, 0, 1):
                        moved[min(max(position + move, 0), columns - 1)] += probability / 3
                distribution = moved
            total += distribution[ball]
    return total / columns**2


exact = random_policy_catch_probability()
print(f"무작위 정책이 공을 받을 정확한 확률: {exact:.1%} "
      f"(이 실습의 실험값 {rates['ε = 1.0']:.1%}, 참조 모델의 실험값 {reference_metrics['catch_rate_random']:.1%})")
# 실험값은 표본 수에 따라 흔들립니다. 표준오차의 4배까지는 같은 값으로 봅니다.
measurements = [(rates["ε = 1.0"], episodes), (reference_metrics["catch_rate_random"], config["eval_episodes"])]
for measured, count in measurements:
    standard_error = np.sqrt(exact * (1 - exact) / count)
    assert abs(exact - measured) < 4 * standard_error, "무작위 정책의 실험값이 이론값과 너무 다릅니다"
print("확인 완료: 무작위 정책의 실험값이 이론값과 맞습니다.")

# %% [markdown]
# 결과가 정확히 1/columns인 것은 우연이 아닙니다. 막대의 시작 위치가 균등하면, 벽에서 멈추는 규칙이 대칭이라
# 막대 위치의 분포가 끝까지 균등하게 유지되기 때문입니다.
#
# ## 생각해 볼 질문
#
# 1. `q_targets`에서 `(1 - dones)`를 빼먹으면 어떤 일이 생길까요? 공을 놓친 마지막 전이의 목표값이 어떻게 바뀌는지 생각해 보세요.
# 2. γ를 0으로 두면 에이전트는 무엇을 배울 수 있을까요? 이 게임에서 보상은 마지막 단계에만 나온다는 점에 주목하세요.
# 3. 학습 중에는 ε을 1에서 점점 줄입니다. 처음부터 ε = 0으로 학습하면 어떤 문제가 생길까요?
