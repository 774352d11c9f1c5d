# %% [markdown]
# # 실습 3. 스케일드 닷-프로덕트 어텐션을 직접 구현하기
#
# 트랜스포머의 심장인 어텐션은 식 한 줄입니다.
#
# $$\mathrm{Attention}(Q, K, V) = \mathrm{softmax}\!\left(\frac{QK^T}{\sqrt{d_k}}\right) V$$
#
# 이 실습에서는
#
# 1. 이 식을 넘파이로 직접 구현하고, PyTorch의 `torch.nn.functional.scaled_dot_product_attention`과
#    같은 값을 내는지 확인합니다.
# 2. 왜 $\sqrt{d_k}$로 나누는지 실험으로 확인합니다.
# 3. 빌드가 미리 학습시킨 **참조 모델**(`models/tiny_transformer`, 음절 시퀀스를 뒤집는 작은 GPT식 트랜스포머)의
#    체크포인트에서 가중치를 꺼내, 여러분의 어텐션 함수로 어텐션 지도를 다시 계산합니다.
#    참조 모델을 다시 학습시키지 않고,
#    체크포인트(`checkpoint.pt`)와 빌드가 기록한 어텐션 지도(`run.json`), 지표(`metrics.json`)를 그대로 불러 씁니다.
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
import math
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib import font_manager

# 한글 축 이름이 네모로 깨지지 않도록 설치된 한글 글꼴을 고릅니다.
korean_fonts = [f.name for f in font_manager.fontManager.ttflist if "CJK KR" in f.name]
if korean_fonts:
    plt.rcParams["font.family"] = korean_fonts[0]
plt.rcParams["axes.unicode_minus"] = False

rng = np.random.default_rng(seed)
torch.manual_seed(seed)

# 빌드가 학습시킨 참조 모델: 설정, 학습 기록, 어텐션 지도(run.json), 지표(metrics.json), 가중치(checkpoint.pt)
reference = Path(models_dir) / "tiny_transformer"
run = json.loads((reference / "run.json").read_text(encoding="utf-8"))
metrics = json.loads((reference / "metrics.json").read_text(encoding="utf-8"))
checkpoint = torch.load(reference / "checkpoint.pt", weights_only=True)
config = checkpoint["config"]
state = {name: tensor.double().numpy() for name, tensor in checkpoint["state"].items()}
print(f"참조 모델: {config['layers']}층, 헤드 {config['heads']}개, 폭 d_model = {config['embedding']}")
print(f"처음 보는 시퀀스에서 토큰 정확도 {metrics['token_accuracy']:.1%}, "
      f"거울 위치 어텐션 비율(가장 나은 헤드) {metrics['mirror_attention_rate']:.1%}")

# %% [markdown]
# ## 1. 어텐션 함수 구현하기
#
# `attention(q, k, v, causal)`을 완성하세요. 입력의 모양은 `[..., T, d]`입니다 (앞쪽 `...`은 헤드 같은 묶음 차원).
#
# 1. 점수 $S = QK^T / \sqrt{d_k}$ (`[..., T, T]`, 행 = 쿼리, 열 = 키)
# 2. `causal=True`이면 쿼리 $i$가 키 $j > i$를 보지 못하도록 그 점수를 $-\infty$로 바꿉니다 (GPT의 인과 마스크).
# 3. 행마다 소프트맥스: 큰 값끼리 빼도 결과가 같다는 성질을 써서 각 행의 최댓값을 먼저 빼면 넘침(overflow)이 없습니다.
# 4. 가중치 $A$로 값의 가중 평균 $AV$를 냅니다.
#
# 출력과 어텐션 가중치를 함께 돌려줍니다.

# %%
def attention(q, k, v, causal=False):
    """스케일드 닷-프로덕트 어텐션. q, k, v: [..., T, d] 넘파이 배열 -> (출력 [..., T, d], 가중치 [..., T, T])."""
    ### BEGIN SOLUTION
    d_k = q.shape[-1]
    scores = q @ np.swapaxes(k, -1, -2) / math.sqrt(d_k)  # [..., T, T]
    if causal:
        steps = scores.shape[-1]
        future = np.triu(np.ones((steps, steps), dtype=bool), k=1)  # 키가 쿼리보다 뒤인 칸
        scores = np.where(future, -np.inf, scores)
    scores = scores - scores.max(axis=-1, keepdims=True)
    weights = np.exp(scores)
    weights = weights / weights.sum(axis=-1, keepdims=True)
    return weights @ v, weights
    ### END SOLUTION

# %% [markdown]
# ### 확인: PyTorch의 구현과 같은 값을 내는가?

# %%
q, k, v = (rng.normal(size=(2, 6, 8)) for _ in range(3))  # [헤드 2, T 6, d 8]
for causal in (False, True):
    mine, weights = attention(q, k, v, causal=causal)
    theirs = torch.nn.functional.scaled_dot_product_attention(
        *(torch.from_numpy(a) for a in (q, k, v)), is_causal=causal).numpy()
    difference = np.abs(mine - theirs).max()
    print(f"causal={causal}: PyTorch와의 최대 차이 {difference:.2e}")
    assert mine.shape == (2, 6, 8) and weights.shape == (2, 6, 6)
    assert difference < 1e-10, "출력이 PyTorch의 scaled_dot_product_attention과 달라요"
    assert np.allclose(weights.sum(axis=-1), 1.0), "어텐션 가중치는 행마다 합이 1이어야 합니다"
    if causal:
        assert np.all(np.triu(weights[0], k=1) == 0), "인과 마스크: 쿼리는 뒤쪽 키에 가중치를 주면 안 됩니다"
print("확인 완료: 여러분의 어텐션이 PyTorch의 구현과 일치합니다.")

# %% [markdown]
# ## 2. 왜 $\sqrt{d_k}$로 나눌까?
#
# 쿼리와 키의 성분이 평균 0, 분산 1이면 내적 $q \cdot k$의 분산은 $d_k$입니다. 차원이 커질수록 점수의 차이가 커지고,
# 소프트맥스는 한 칸에 거의 모든 가중치를 몰아줍니다(포화).
# 그러면 나머지 칸의 기울기가 0에 가까워져 학습이 어려워집니다.
# 아래는 나누지 않았을 때와 나누었을 때, 각 쿼리가 가장 큰 가중치를 준 칸의 가중치 평균입니다 (실습 1의 함수를 씁니다).

# %%
dimensions = [4, 16, 64, 256, 1024]
steps = 16
unscaled, scaled = [], []
for d in dimensions:
    q, k = rng.normal(size=(steps, d)), rng.normal(size=(steps, d))
    v = np.eye(steps)
    _, weights = attention(q, k, v)  # 1 / sqrt(d)로 나눈 경우
    scaled.append(weights.max(axis=-1).mean())
    _, weights = attention(q * math.sqrt(d), k, v)  # 쿼리에 sqrt(d)를 곱해 나눗셈을 상쇄한 경우
    unscaled.append(weights.max(axis=-1).mean())
    print(f"d = {d:5d}: 최대 가중치 평균 - 나누지 않음 {unscaled[-1]:.3f}, sqrt(d)로 나눔 {scaled[-1]:.3f}")

figure, axis = plt.subplots(figsize=(6, 3.8))
axis.plot(dimensions, unscaled, marker="o", label="나누지 않음: $QK^T$")
axis.plot(dimensions, scaled, marker="s", label="√d로 나눔: $QK^T/\\sqrt{d}$")
axis.axhline(1 / steps, color="gray", linestyle=":", label=f"균등 분포 (1/{steps})")
axis.set_xscale("log")
axis.set_xlabel("차원 d (로그 눈금)")
axis.set_ylabel("각 쿼리의 최대 어텐션 가중치 (평균)")
axis.set_title("나누지 않으면 차원이 커질수록 소프트맥스가 포화된다")
axis.legend()
plt.show()
assert unscaled[-1] > 0.8 and scaled[-1] < 0.6, "나누지 않으면 포화되고, 나누면 포화되지 않아야 합니다"

# %% [markdown]
# ## 3. 참조 모델의 어텐션 지도를 직접 계산하기
#
# 참조 모델의 첫 번째 블록은 다음 순서로 어텐션을 계산합니다 (그림의 `tiny_transformer` 모델 파일과 같은 계산).
#
# 1. $x$ = 토큰 임베딩 + 사인파 위치 인코딩 (`embed.weight`, `position`)
# 2. 층 정규화 (`blocks.0.norm1.weight`, `blocks.0.norm1.bias`): 아래 `layer_norm` 함수가 해 줍니다.
# 3. 한 번의 선형 변환 `blocks.0.attention.qkv`로 $[Q\;K\;V]$를 한꺼번에 만들고 (`[T, 3d]`), 폭 $d$씩 셋으로 자릅니다.
# 4. 각각을 헤드 수 $h$로 나누어 `[h, T, d/h]` 모양으로 바꾸고, 인과 마스크를 켠 어텐션을 헤드마다 계산합니다.
#
# 빌드가 `run.json`에 기록해 둔 예시 시퀀스(처음 보는 시퀀스 하나)로 계산해, 빌드가 기록한 어텐션 지도와 비교합니다.

# %%
vocabulary = run["artifacts"]["vocabulary"]
tokens = run["artifacts"]["tokens"]  # 모델이 읽는 토큰들 (입력 음절, 구분자, 뒤집은 음절에서 마지막 하나를 뺀 것)
ids = np.array([vocabulary.index(token) for token in tokens])
length = run["artifacts"]["length"]
heads = config["heads"]
print("예시 시퀀스:", " ".join(run["artifacts"]["sequence"]))


def layer_norm(x, weight, bias, eps=1e-5):
    mean = x.mean(axis=-1, keepdims=True)
    variance = x.var(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(variance + eps) * weight + bias


x = state["embed.weight"][ids] + state["position"][: len(ids)]  # [T, d]
x = layer_norm(x, state["blocks.0.norm1.weight"], state["blocks.0.norm1.bias"])
qkv_weight, qkv_bias = state["blocks.0.attention.qkv.weight"], state["blocks.0.attention.qkv.bias"]  # [3d, d], [3d]

# %% [markdown]
# `x`(`[T, d]`)와 `qkv_weight`, `qkv_bias`로 헤드별 어텐션 가중치 `maps`(`[h, T, T]`)를 계산하세요.
# PyTorch의 `nn.Linear`는 $xW^T + b$를 계산한다는 점에 주의하세요.

# %%
### BEGIN SOLUTION
width = x.shape[-1]
projected = x @ qkv_weight.T + qkv_bias  # [T, 3d]
q, k, v = (projected[:, i * width:(i + 1) * width] for i in range(3))  # [T, d] 각각
q, k, v = (a.reshape(len(ids), heads, width // heads).transpose(1, 0, 2) for a in (q, k, v))  # [h, T, d/h]
_, maps = attention(q, k, v, causal=True)  # [h, T, T]
### END SOLUTION

# %% [markdown]
# ### 확인: 빌드가 기록한 어텐션 지도와 같은가?

# %%
recorded = np.array(run["artifacts"]["attention"][0])  # [h, T, T]: 빌드가 기록한 첫 번째 층의 지도 (소수 넷째 자리까지)
difference = np.abs(maps - recorded).max()
print(f"빌드가 기록한 지도와의 최대 차이: {difference:.1e}")
assert maps.shape == recorded.shape, f"모양이 달라요: {maps.shape} 대 {recorded.shape}"
assert difference < 2e-3, "빌드가 기록한 어텐션 지도와 다릅니다"
print("확인 완료: 체크포인트의 가중치로 참조 모델의 어텐션을 그대로 재현했습니다.")

# %%
figure, axes = plt.subplots(1, heads, figsize=(4.6 * heads, 4.4), squeeze=False)
for head, axis in enumerate(axes[0]):
    axis.imshow(maps[head], cmap="Blues", vmin=0, vmax=1)
    axis.set_xticks(range(len(tokens)), tokens)
    axis.set_yticks(range(len(tokens)), tokens)
    axis.set_title(f"헤드 {head + 1} (내가 계산한 지도)")
    axis.set_xlabel("키")
axes[0][0].set_ylabel("쿼리")
figure.tight_layout()
plt.show()

# %% [markdown]
# ## 4. 뒤집기를 하는 헤드 찾기
#
# 구분자 `|`부터 시작하는 쿼리 위치 $L + j$ ($j = 0, \dots, L-1$)는 출력 $j$를 예측하고,
# 그 답은 입력 위치 $L - 1 - j$의 음절입니다.
# 헤드마다, 이 예시의 출력 쿼리 중 가장 큰 가중치를 거울 위치에 준 비율을 계산해 봅니다.

# %%
mirrored = np.arange(length - 1, -1, -1)
for head in range(heads):
    hits = (maps[head, length:, :].argmax(axis=-1) == mirrored).mean()
    print(f"헤드 {head + 1}: 이 예시에서 거울 위치를 본 출력 쿼리 {hits:.0%}")
print(f"(빌드가 처음 보는 시퀀스 전체에서 잰 값: 헤드별 {run['artifacts']['mirror_rate_per_head'][-1]}, "
      f"학습 전 모델의 가장 나은 헤드 {metrics['mirror_attention_rate_untrained']:.0%})")

# %% [markdown]
# ## 생각해 볼 질문
#
# 1. 인과 마스크를 끄고(`causal=False`) 같은 지도를 다시 계산하면 빌드의 지도와 같을까요?
#    마스크 없이 학습했다면 이 과제는 왜 쉬워질까요?
# 2. 어텐션 가중치는 행마다 합이 1입니다. 한 쿼리가 두 곳을 동시에 봐야 하는 과제라면
#    헤드가 여러 개인 것이 왜 도움이 될까요?
# 3. 위치 인코딩(`position`)을 빼고 임베딩만으로 계산하면, 같은 음절이 두 번 나오는 시퀀스에서 어떤 문제가 생길까요?
