# %% [markdown]
# # 실습 4-2. DDPM과 DDIM의 샘플링 단계를 구현해 숫자 만들기
#
# 잡음 예측기 $\epsilon_\theta(x_t, t)$는 이미 학습되어 있습니다. 이 실습에서는 그 신경망을 써서 **잡음에서 숫자를 만드는**
# 두 가지 방법을 직접 구현합니다.
#
# - 빌드가 학습시킨 **참조 모델**(`models/s4_ddpm_digits`)의 체크포인트 `checkpoint.pt`를 불러옵니다. 체크포인트에는
#   설정(`config`)과 가중치(`state`)가 들어 있습니다. 신경망의 구조는 `pipeline/models/ddpm_digits.py`의 `NoisePredictor`를
#   그대로 옮겨 적었고, 잡음 일정도 같은 파일의 `Schedule`처럼 설정에서 다시 계산합니다. 다시 학습시키지 않습니다.
# - 체크포인트에는 진짜 숫자로 학습한 **판정용 분류기**도 들어 있어, 만든 숫자가 얼마나 숫자다운지 잴 수 있습니다.
#   `metrics.json`에서 참조 모델이 빌드 때 얻은 점수를 읽어 비교합니다.
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
import itertools
import json
import math
import time
from pathlib import Path

import matplotlib.pyplot as plt
import torch
from matplotlib import font_manager
from torch import nn

# 한글 축 이름이 네모로 깨지지 않도록 설치된 한글 글꼴을 고릅니다.
korean_fonts = [f.name for f in font_manager.fontManager.ttflist if "CJK KR" in f.name]
if korean_fonts:
    plt.rcParams["font.family"] = korean_fonts[0]
plt.rcParams["axes.unicode_minus"] = False

torch.manual_seed(seed)
torch.set_num_threads(1)
reference = Path(models_dir) / "s4_ddpm_digits"
checkpoint = torch.load(reference / "checkpoint.pt", map_location="cpu", weights_only=True)
reference_metrics = json.loads((reference / "metrics.json").read_text(encoding="utf-8"))
config = checkpoint["config"]
print("참조 모델의 설정:", {key: config[key] for key in ("timesteps", "beta_start", "beta_end", "hidden",
                                                        "time_embedding", "ddim_steps")})

# %% [markdown]
# ## 0. 체크포인트에서 잡음 예측기와 잡음 일정 다시 만들기
#
# 구조는 참조 모델과 똑같아야 가중치를 그대로 넣을 수 있습니다. 64개 픽셀을 받는 잔차 MLP이고, 시점 t는
# 사인파 임베딩으로 바꿔 모든 은닉층에 더합니다. 잡음 일정은 강의의 선형 일정입니다
# (빌드가 smoke 프로필에서 T를 줄이면 전체 잡음의 양이 같도록 β를 1000/T배 합니다).

# %%
def time_features(t, size):
    """정수 시점 t [B] -> 사인파 임베딩 [B, size] (트랜스포머의 위치 인코딩과 같은 방식)."""
    half = size // 2
    frequencies = torch.exp(-math.log(10000.0) * torch.arange(half) / half)  # [half]
    angles = t.float()[:, None] * frequencies[None]  # [B, half]
    return torch.cat([angles.sin(), angles.cos()], dim=1)


class NoisePredictor(nn.Module):
    """ε_θ(x_t, t): pipeline/models/ddpm_digits.py의 NoisePredictor와 같은 구조."""

    def __init__(self, hidden, time_embedding):
        super().__init__()
        self.embedding_size = time_embedding
        self.time = nn.Sequential(nn.Linear(time_embedding, hidden), nn.SiLU(), nn.Linear(hidden, hidden))
        self.inp = nn.Linear(64, hidden)
        self.layers = nn.ModuleList(nn.Linear(hidden, hidden) for _ in range(3))
        self.out = nn.Linear(hidden, 64)

    def forward(self, x, t):
        time_vector = self.time(time_features(t, self.embedding_size))  # [B, h]
        h = self.inp(x) + time_vector
        for layer in self.layers:
            h = h + layer(nn.functional.silu(h)) + time_vector
        return self.out(nn.functional.silu(h))  # [B, 64] 예측한 잡음


model = NoisePredictor(config["hidden"], config["time_embedding"])
model.load_state_dict(checkpoint["state"]["noise_predictor_ema"])  # 샘플링에는 가중치의 이동 평균(EMA)을 씁니다
model.eval()
judge = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))
judge.load_state_dict(checkpoint["state"]["classifier"])
judge.eval()

T = config["timesteps"]
scale = 1000 / T
# 일정은 float64로 계산해 둡니다. 1 - ᾱ_t가 아주 작은 초반 단계에서 float32로는 정밀도가 모자랍니다.
# (0차원 float64 값과 float32 배열을 곱하면 결과는 float32 그대로입니다.)
betas = torch.linspace(config["beta_start"] * scale, config["beta_end"] * scale, T, dtype=torch.float64)
betas = betas.clamp(max=0.999)
alphas = 1 - betas
alpha_bars = torch.cumprod(alphas, dim=0)


def abar(t):
    """ᾱ_t, 단 t = 0이면 1 (아무 잡음도 없는 x_0)."""
    return torch.tensor(1.0, dtype=torch.float64) if t == 0 else alpha_bars[t - 1]


# 불러온 신경망이 정말 잡음을 맞히는지 진짜 숫자로 확인합니다.
from sklearn.datasets import load_digits

digits = torch.tensor(load_digits().images.reshape(-1, 64) / 16.0 * 2 - 1, dtype=torch.float32)
with torch.no_grad():
    x0 = digits[:512]
    t = torch.randint(1, T + 1, (len(x0),))
    eps = torch.randn_like(x0)
    abar_t = alpha_bars[t - 1, None].float()  # [512, 1]
    noisy = abar_t.sqrt() * x0 + (1 - abar_t).sqrt() * eps
    check_loss = nn.functional.mse_loss(model(noisy, t), eps).item()
print(f"진짜 숫자에서 잡음 예측 오차: {check_loss:.3f} (빌드의 학습 마지막 손실 {reference_metrics['final_loss']:.3f}, "
      "잡음을 0으로 찍으면 1.0)")

# %% [markdown]
# ## 1. DDPM의 역방향 한 단계
#
# 강의의 Algorithm 2입니다. 예측한 잡음 $\hat\epsilon = \epsilon_\theta(x_t, t)$가 주어지면
#
# $$x_{t-1} = \frac{1}{\sqrt{\alpha_t}}\left(x_t - \frac{\beta_t}{\sqrt{1-\bar\alpha_t}}\,\hat\epsilon\right) + \sigma_t z,
#   \qquad \sigma_t^2 = \tilde\beta_t = \frac{1-\bar\alpha_{t-1}}{1-\bar\alpha_t}\,\beta_t$$
#
# 이고, **마지막 단계 t = 1에서는 잡음을 더하지 않습니다**. `ddpm_step`을 완성하세요.
# `t`는 1 이상 T 이하의 정수 하나(배치 전체가 같은 시점), `z`는 x_t와 같은 모양의 표준 정규 잡음입니다.
# β_t, α_t는 `betas[t - 1]`, `alphas[t - 1]`에, ᾱ_t와 ᾱ_{t-1}은 위의 함수 `abar(t)`, `abar(t - 1)`로 얻습니다.

# %%
def ddpm_step(x_t, eps_pred, t, z):
    """DDPM 역방향 한 단계: x_t [B, 64]와 예측한 잡음으로 x_{t-1} [B, 64]를 뽑는다."""
    ### BEGIN SOLUTION
    beta, alpha = betas[t - 1], alphas[t - 1]
    mean = (x_t - beta / (1 - abar(t)).sqrt() * eps_pred) / alpha.sqrt()
    if t == 1:
        return mean
    variance = (1 - abar(t - 1)) / (1 - abar(t)) * beta
    return mean + variance.sqrt() * z
    ### END SOLUTION


# %%
# 확인: x_0를 알 때의 정확한 사후분포 q(x_{t-1} | x_t, x_0)의 평균 (강의의 μ̃_t)과 비교합니다.
# 예측한 잡음이 진짜 잡음이면 DDPM의 평균은 μ̃_t와 같아야 합니다.
torch.manual_seed(seed)
x0 = digits[:8]
for t in (1, 2, T // 2, T):
    eps, z = torch.randn_like(x0), torch.randn_like(x0)
    x_t = abar(t).sqrt() * x0 + (1 - abar(t)).sqrt() * eps
    posterior_mean = ((abar(t - 1).sqrt() * betas[t - 1] * x0 + alphas[t - 1].sqrt() * (1 - abar(t - 1)) * x_t)
                      / (1 - abar(t)))
    posterior_std = ((1 - abar(t - 1)) / (1 - abar(t)) * betas[t - 1]).sqrt()
    expected = posterior_mean + (posterior_std * z if t > 1 else 0)
    assert torch.allclose(ddpm_step(x_t, eps, t, z), expected, atol=1e-4), f"t = {t}에서 값이 다릅니다"
print("확인 완료: 잡음으로 쓴 평균이 사후분포의 평균 μ̃_t와 일치하고, t = 1에서는 잡음을 더하지 않습니다.")

# %% [markdown]
# ## 2. DDIM의 결정론적 한 단계
#
# DDIM은 같은 신경망으로 **새 잡음 없이**, t에서 더 이른 시점 s로 바로 건너뜁니다.
#
# $$\hat x_0 = \frac{x_t - \sqrt{1-\bar\alpha_t}\,\hat\epsilon}{\sqrt{\bar\alpha_t}}, \qquad
#   x_s = \sqrt{\bar\alpha_s}\,\hat x_0 + \sqrt{1-\bar\alpha_s}\,\hat\epsilon \qquad (0 \le s < t)$$
#
# `ddim_step`을 완성하세요. s = 0이면 ᾱ_0 = 1이므로 결과는 x̂_0 자신입니다.

# %%
def ddim_step(x_t, eps_pred, t, s):
    """DDIM (η = 0) 한 단계: 시점 t의 x_t [B, 64]에서 시점 s < t의 x_s [B, 64]로."""
    ### BEGIN SOLUTION
    x0_pred = (x_t - (1 - abar(t)).sqrt() * eps_pred) / abar(t).sqrt()
    return abar(s).sqrt() * x0_pred + (1 - abar(s)).sqrt() * eps_pred
    ### END SOLUTION


# %%
# 확인: 예측한 잡음이 진짜 잡음이면, DDIM은 같은 잡음으로 만든 닫힌 형태의 x_s에 정확히 도착해야 합니다.
for t, s in ((T, T // 2), (T // 2, 1), (T, 0), (3, 2)):
    eps = torch.randn_like(x0)
    x_t = abar(t).sqrt() * x0 + (1 - abar(t)).sqrt() * eps
    x_s = ddim_step(x_t, eps, t, s)
    assert torch.allclose(x_s, abar(s).sqrt() * x0 + (1 - abar(s)).sqrt() * eps, atol=1e-3), f"t = {t} → s = {s}"
assert torch.equal(ddim_step(x_t, eps, t, s), ddim_step(x_t, eps, t, s)), "DDIM은 결정론적이어야 합니다"
print("확인 완료: DDIM 한 단계는 닫힌 형태를 거꾸로 쓴 것입니다.")

# %% [markdown]
# ## 3. 잡음에서 숫자 만들기
#
# 이제 두 단계 함수를 반복문에 넣습니다. DDPM은 T단계를 모두 거치고, DDIM은 T를 고르게 나눈 몇 단계만 씁니다.
# 예산이 `smoke`이면(빌드의 빠른 점검) 숫자 수와 DDIM 단계를 줄입니다. 이때 참조 모델도 몇 단계만 학습된 상태라
# 숫자가 잘 나오지 않는 것이 정상입니다.

# %%
count = 16 if budget == "smoke" else 32
ddim_steps = 10 if budget == "smoke" else config["ddim_steps"]


@torch.no_grad()
def sample_ddpm(count, generator):
    x = torch.randn(count, 64, generator=generator)  # x_T
    for t in range(T, 0, -1):
        eps_pred = model(x, torch.full((count,), t))
        x = ddpm_step(x, eps_pred, t, torch.randn(count, 64, generator=generator))
    return x.clamp(-1, 1)


@torch.no_grad()
def sample_ddim(count, steps, generator):
    times = torch.linspace(T, 1, steps).round().long().tolist() + [0]  # T, ..., 1, 0
    x = torch.randn(count, 64, generator=generator)
    for t, s in itertools.pairwise(times):
        x = ddim_step(x, model(x, torch.full((count,), t)), t, s)
    return x.clamp(-1, 1)


generator = torch.Generator().manual_seed(seed)
start = time.perf_counter()
ddpm_digits = sample_ddpm(count, generator)
ddpm_seconds = time.perf_counter() - start
start = time.perf_counter()
ddim_digits = sample_ddim(count, ddim_steps, generator)
ddim_seconds = time.perf_counter() - start
print(f"DDPM: {T}단계, {ddpm_seconds:.2f}초 / DDIM: {ddim_steps}단계, {ddim_seconds:.2f}초")


@torch.no_grad()
def judge_samples(images):
    probabilities = judge(images).softmax(dim=1)
    confidence, predicted = probabilities.max(dim=1)
    return confidence, predicted


results = {}
for name, images in (("DDPM", ddpm_digits), ("DDIM", ddim_digits)):
    confidence, predicted = judge_samples(images)
    results[name] = (confidence, predicted)
    print(f"{name}: 분류기 평균 확신도 {confidence.mean():.0%}, 나온 숫자 종류 {len(set(predicted.tolist()))}가지")
print(f"참조 모델(빌드 때): DDPM {reference_metrics['ddpm_confidence']:.0%}, DDIM {reference_metrics['ddim_confidence']:.0%}, "
      f"순수한 잡음 {reference_metrics['noise_confidence']:.0%}, 진짜 숫자 {reference_metrics['real_confidence']:.0%}")

# %%
columns = 8
figure, axes = plt.subplots(2 * (count // columns), columns, figsize=(columns * 1.2, 2.7 * (count // columns)))
for block, (name, images) in enumerate((("DDPM", ddpm_digits), ("DDIM", ddim_digits))):
    confidence, predicted = results[name]
    for index in range(count):
        axis = axes[block * (count // columns) + index // columns, index % columns]
        axis.imshow(images[index].reshape(8, 8), cmap="gray_r", vmin=-1, vmax=1)
        axis.set_xticks([])
        axis.set_yticks([])
        axis.set_title(f"{predicted[index].item()} ({confidence[index]:.0%})", fontsize=9,
                       color="black" if confidence[index] >= 0.7 else "#d1495b")
    axes[block * (count // columns), 0].set_ylabel(name, fontsize=12)
figure.suptitle(f"위: DDPM ({T}단계), 아래: DDIM ({ddim_steps}단계). 각 숫자 위는 분류기의 판정 (확신도)")
figure.tight_layout()
plt.show()

# %%
# 확인: 숫자 모양과 범위가 맞는지, 그리고 (충분히 학습된 모델이라면) 잡음보다 숫자다운지 봅니다.
for name, images in (("DDPM", ddpm_digits), ("DDIM", ddim_digits)):
    assert images.shape == (count, 64) and torch.isfinite(images).all(), f"{name} 샘플에 문제가 있습니다"
if budget != "smoke":
    for name in ("DDPM", "DDIM"):
        assert results[name][0].mean() > reference_metrics["noise_confidence"] + 0.1, \
            f"{name} 샘플이 잡음보다 숫자답지 않습니다: 단계 함수를 다시 확인하세요"
print("확인 완료: 같은 잡음 예측기로 두 가지 방법 모두 숫자를 만들었습니다.")

# %% [markdown]
# ## 생각해 볼 질문
#
# 1. 같은 생성기 시드로 `sample_ddim`을 두 번 부르면 같은 숫자가 나올까요? `sample_ddpm`은요? 이유는?
# 2. DDIM의 단계 수를 5, 20, 100으로 바꿔 보세요. 확신도와 시간이 어떻게 변하나요?
# 3. 참조 모델은 매 단계 예측한 x̂_0를 픽셀 범위 [-1, 1]로 자른 뒤 사후분포의 평균에 넣습니다
#    (`pipeline/models/ddpm_digits.py`의 `ddpm_sample`). 여러분의 `ddpm_step`과 무엇이 다르고, 왜 도움이 될까요?
