# %% [markdown]
# # 실습 4-1. DDPM의 정방향 과정을 직접 구현하고 닫힌 형태를 검증하기
#
# 강의에서 유도한 두 식을 코드로 옮기고, 정말로 같은 분포를 주는지 실험으로 확인합니다.
#
# $$q(x_t \mid x_{t-1}) = \mathcal{N}\big(\sqrt{1-\beta_t}\,x_{t-1},\ \beta_t I\big), \qquad
#   q(x_t \mid x_0) = \mathcal{N}\big(\sqrt{\bar\alpha_t}\,x_0,\ (1-\bar\alpha_t) I\big)$$
#
# - 빌드가 미리 학습시킨 **참조 모델**(`models/s4_ddpm_digits`)의 `run.json`에서 잡음 일정의 설정(T, β의 시작과 끝)과
#   참조 구현이 계산한 ᾱ_t 값을 불러와, 여러분의 잡음 일정이 같은 값을 내는지 비교합니다.
#   모델을 다시 학습시키지 않고 빌드가 저장한 파일을 그대로 읽습니다. `metrics.json`에서는 ᾱ_T도 읽습니다.
# - 닫힌 형태의 샘플러를 구현하고, 한 단계씩 반복한 잡음 추가와 **평균과 분산**이 같은지 여러 시점 t에서 확인합니다.
# - 숫자 하나가 잡음이 되는 모습을 원문 그림처럼 T = 0..8로 그립니다.
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
from matplotlib import font_manager
from sklearn.datasets import load_digits

# 한글 축 이름이 네모로 깨지지 않도록 설치된 한글 글꼴을 고릅니다.
korean_fonts = [f.name for f in font_manager.fontManager.ttflist if "CJK KR" in f.name]
if korean_fonts:
    plt.rcParams["font.family"] = korean_fonts[0]
plt.rcParams["axes.unicode_minus"] = False

rng = np.random.default_rng(seed)
reference = Path(models_dir) / "s4_ddpm_digits"
run = json.loads((reference / "run.json").read_text(encoding="utf-8"))
reference_metrics = json.loads((reference / "metrics.json").read_text(encoding="utf-8"))
config = run["config"]
T = config["timesteps"]
# 논문의 일정은 T = 1000에 맞춰져 있습니다. 빌드가 smoke 프로필에서 T를 줄이면 전체 잡음의 양이 같도록 β를 키웁니다.
scale = 1000 / T
beta_start, beta_end = config["beta_start"] * scale, config["beta_end"] * scale
print(f"참조 모델의 설정: T = {T}, β_1 = {beta_start:g}, β_T = {beta_end:g}")

# 모델이 학습한 데이터: 8x8 손글씨 숫자, 픽셀 값을 [-1, 1]로 옮긴 것
images = load_digits().images / 16.0 * 2 - 1  # [1797, 8, 8]
x0 = images[0].reshape(64)  # 숫자 하나 [64]
print(f"숫자 {len(images)}개, 첫 번째 숫자의 픽셀 범위 [{x0.min():.0f}, {x0.max():.0f}]")

# %% [markdown]
# ## 1. 잡음 일정 만들기
#
# β_t는 β_1 = `beta_start`에서 β_T = `beta_end`까지 **선형으로** 늘어나는 T개의 값입니다
# (배열의 `t - 1`번 칸에 β_t를 둡니다). 여기서
#
# $$\alpha_t = 1 - \beta_t, \qquad \bar\alpha_t = \prod_{s=1}^{t} \alpha_s$$
#
# `linear_schedule`이 세 배열 `betas`, `alphas`, `alpha_bars`를 (모두 길이 T) 돌려주게 하세요.
# 힌트: `np.linspace`, `np.cumprod`.

# %%
def linear_schedule(timesteps, beta_start, beta_end):
    """선형 β 일정과 α_t, ᾱ_t. 세 배열 모두 길이 timesteps, t번째 값은 [t - 1]에 있다."""
    ### BEGIN SOLUTION
    betas = np.linspace(beta_start, beta_end, timesteps)
    alphas = 1.0 - betas
    alpha_bars = np.cumprod(alphas)
    ### END SOLUTION
    return betas, alphas, alpha_bars


betas, alphas, alpha_bars = linear_schedule(T, beta_start, beta_end)

# %%
# 확인: 참조 모델이 기록한 ᾱ_t (T를 8등분한 시점들)와 ᾱ_T를 여러분의 일정과 비교합니다.
forward_times = run["artifacts"]["forward_times"]  # [0, T/8, 2T/8, ..., T]
reference_abar = run["artifacts"]["forward_abar"]  # t = 0에서는 1
mine = [1.0] + [alpha_bars[t - 1] for t in forward_times[1:]]
for t, theirs, ours in zip(forward_times, reference_abar, mine):
    print(f"t = {t:5d}:  참조 ᾱ_t = {theirs:.6f},  내 ᾱ_t = {ours:.6f}")
assert betas.shape == alphas.shape == alpha_bars.shape == (T,), "세 배열 모두 길이 T여야 합니다"
assert np.isclose(betas[0], beta_start) and np.isclose(betas[-1], beta_end), "β_1과 β_T를 확인하세요"
assert np.all(np.diff(alpha_bars) < 0), "ᾱ_t는 t가 커질수록 줄어야 합니다"
assert np.allclose(mine, reference_abar, rtol=1e-4, atol=1e-7), "참조 모델의 ᾱ_t와 다릅니다"
assert np.isclose(alpha_bars[-1], reference_metrics["final_abar"], rtol=1e-3)
print(f"확인 완료: ᾱ_T = {alpha_bars[-1]:.2e}. 원래 신호의 배율 √ᾱ_T = {np.sqrt(alpha_bars[-1]):.4f}만 남습니다.")

# %% [markdown]
# ## 2. 닫힌 형태로 한 번에 뽑기
#
# 강의에서 가우시안의 합으로 유도한 식입니다.
#
# $$x_t = \sqrt{\bar\alpha_t}\,x_0 + \sqrt{1-\bar\alpha_t}\,\epsilon, \qquad \epsilon \sim \mathcal{N}(0, I)$$
#
# `q_sample(x0, t, alpha_bars, eps)`를 완성하세요. `x0`와 `eps`는 같은 모양의 배열이고(앞쪽에 복제본 축이 있어도 됩니다),
# `t`는 1 이상 T 이하의 정수 하나입니다. ᾱ_t는 `alpha_bars[t - 1]`에 있습니다.

# %%
def q_sample(x0, t, alpha_bars, eps):
    """닫힌 형태 q(x_t | x_0)에서 뽑은 x_t. eps는 표준 정규 잡음 (x0와 같은 모양으로 브로드캐스트)."""
    ### BEGIN SOLUTION
    abar = alpha_bars[t - 1]
    return np.sqrt(abar) * x0 + np.sqrt(1.0 - abar) * eps
    ### END SOLUTION


# %%
# 확인: 잡음이 0이면 신호만 줄어들고, 잡음 부분의 크기는 √(1 - ᾱ_t)여야 합니다.
probe = np.ones(64)
for t in (1, T // 2, T):
    assert np.allclose(q_sample(probe, t, alpha_bars, np.zeros(64)), np.sqrt(alpha_bars[t - 1]))
    assert np.allclose(q_sample(np.zeros(64), t, alpha_bars, probe), np.sqrt(1 - alpha_bars[t - 1]))
print("확인 완료: 닫힌 형태의 두 계수가 맞습니다.")

# %% [markdown]
# ## 3. 한 단계씩 반복한 것과 같은가? 통계로 확인하기
#
# 이번에는 정의 그대로 $x_t = \sqrt{1-\beta_t}\,x_{t-1} + \sqrt{\beta_t}\,\epsilon_t$를 t번 반복합니다(아래에 구현되어 있습니다).
# 같은 숫자를 `replicas`번 복제해 각각 따로 잡음을 더한 뒤, 여러 시점 t에서
#
# - 반복한 체인의 픽셀별 **평균**이 $\sqrt{\bar\alpha_t}\,x_0$와,
# - 픽셀별 **분산**이 $1-\bar\alpha_t$와 같은지,
# - 그리고 여러분의 `q_sample`로 한 번에 뽑은 표본의 평균, 분산과도 같은지
#
# 비교합니다. 표본이 유한하므로 오차는 0이 아니라 약 $1/\sqrt{\text{replicas}}$ 정도가 정상입니다.
# 대조군으로 "신호는 그대로 두고 잡음만 더한다"(평균 $x_0$, 분산 $\sum_s \beta_s$)는 잘못된 추측도 같은 잣대로 재 봅니다.

# %%
replicas = 400 if budget == "smoke" else 2000
check_times = sorted({max(1, T // 20), T // 4, T // 2, T})


def iterate_forward(x0, betas, replicas, keep, rng):
    """q(x_t | x_{t-1})을 한 단계씩 반복; keep에 있는 t의 상태 [replicas, 64]를 사전으로 돌려준다."""
    x = np.repeat(x0[None], replicas, axis=0)  # [R, 64]
    kept = {}
    for t in range(1, len(betas) + 1):
        beta = betas[t - 1]
        x = np.sqrt(1 - beta) * x + np.sqrt(beta) * rng.standard_normal(x.shape)
        if t in keep:
            kept[t] = x.copy()
    return kept


chains = iterate_forward(x0, betas, replicas, set(check_times), rng)
tolerance_mean, tolerance_var = 4 / np.sqrt(replicas), 4 * np.sqrt(2 / replicas)
rows = []
for t in check_times:
    chain = chains[t]
    direct = q_sample(x0[None], t, alpha_bars, rng.standard_normal((replicas, 64)))  # [R, 64]
    theory_mean, theory_var = np.sqrt(alpha_bars[t - 1]) * x0, 1 - alpha_bars[t - 1]
    rows.append({
        "t": t,
        "평균 오차 (반복 vs 이론)": np.abs(chain.mean(0) - theory_mean).mean(),
        "분산 오차 (반복 vs 이론)": np.abs(chain.var(0) - theory_var).mean(),
        "평균 차이 (반복 vs q_sample)": np.abs(chain.mean(0) - direct.mean(0)).mean(),
        "분산 차이 (반복 vs q_sample)": np.abs(chain.var(0) - direct.var(0)).mean(),
        "대조군 평균 오차": np.abs(chain.mean(0) - x0).mean(),
        "대조군 분산 오차": np.abs(chain.var(0) - betas[:t].sum()).mean(),
    })
for row in rows:
    print("  ".join(f"{key} {value:.3f}" if key != "t" else f"t = {value:5d} |" for key, value in row.items()))
print(f"허용 오차: 평균 {tolerance_mean:.3f}, 분산 {tolerance_var:.3f} (표본 {replicas}개)")
print(f"참조 모델이 빌드 때 잰 최대 오차: 평균 {reference_metrics['closed_form_mean_error']:.3f}, "
      f"분산 {reference_metrics['closed_form_var_error']:.3f}")

# %%
for row in rows:
    assert row["평균 오차 (반복 vs 이론)"] < tolerance_mean and row["분산 오차 (반복 vs 이론)"] < tolerance_var
    assert row["평균 차이 (반복 vs q_sample)"] < 2 * tolerance_mean, f"t = {row['t']}: q_sample의 평균이 다릅니다"
    assert row["분산 차이 (반복 vs q_sample)"] < 2 * tolerance_var, f"t = {row['t']}: q_sample의 분산이 다릅니다"
last = rows[-1]
assert last["대조군 평균 오차"] > 3 * last["평균 오차 (반복 vs 이론)"], "대조군(잡음만 더하기)은 크게 틀려야 합니다"
assert last["대조군 분산 오차"] > 1.0, "대조군의 분산 Σβ는 1보다 훨씬 커집니다"
print("확인 완료: t번 반복한 잡음 추가와 닫힌 형태는 같은 분포입니다. 줄이지 않고 더하기만 하는 추측은 틀립니다.")

# %%
# 그림으로 보기: 시점마다 픽셀별 평균을 x_0에 대해 찍으면 기울기가 √ᾱ_t인 직선 위에 놓입니다.
figure, axes = plt.subplots(1, len(check_times), figsize=(3.2 * len(check_times), 3.2), sharey=True)
for axis, t in zip(axes, check_times):
    axis.scatter(x0, chains[t].mean(0), s=12, label="반복한 체인의 평균")
    line = np.array([-1, 1])
    axis.plot(line, np.sqrt(alpha_bars[t - 1]) * line, color="black", label=r"$\sqrt{\bar\alpha_t}\,x_0$")
    axis.plot(line, line, ":", color="gray", label="대조군: $x_0$")
    axis.set_title(f"t = {t}, 분산 {chains[t].var(0).mean():.2f} (이론 {1 - alpha_bars[t - 1]:.2f})", fontsize=10)
    axis.set_xlabel("원래 픽셀 값 $x_0$")
axes[0].set_ylabel("$x_t$의 평균")
axes[0].legend(fontsize=8)
figure.tight_layout()
plt.show()

# %% [markdown]
# ## 4. 원문 그림처럼 T = 0..8 그리기
#
# 전체 T단계를 8등분한 시점에서 숫자 하나를 그립니다. 위 줄은 여러분의 `q_sample`로 한 번에 뽑은 것,
# 아래 줄은 한 단계씩 반복한 체인의 한 표본입니다. 두 줄은 잡음이 다르므로 픽셀 하나하나는 다르지만, 흐려지는 정도는 같아야 합니다.

# %%
strip_times = [round(k * T / 8) for k in range(9)]
single_chain = iterate_forward(x0, betas, 1, set(strip_times[1:]), rng)
figure, axes = plt.subplots(2, 9, figsize=(14, 4.2))
for k, t in enumerate(strip_times):
    closed = x0 if t == 0 else q_sample(x0, t, alpha_bars, rng.standard_normal(64))
    iterated = x0 if t == 0 else single_chain[t][0]
    for row, image in enumerate((closed, iterated)):
        axes[row, k].imshow(image.reshape(8, 8), cmap="gray_r", vmin=-1, vmax=1)
        axes[row, k].set_xticks([])
        axes[row, k].set_yticks([])
    axes[0, k].set_title(f"T = {k}\nt = {t}", fontsize=10)
axes[0, 0].set_ylabel("닫힌 형태")
axes[1, 0].set_ylabel("반복")
figure.suptitle("정방향 과정: 숫자 하나가 가우시안 잡음이 되기까지")
figure.tight_layout()
plt.show()

# %% [markdown]
# ## 생각해 볼 질문
#
# 1. `iterate_forward`에서 `np.sqrt(1 - beta)`를 빼고 잡음만 더하면 t = T에서 분산은 얼마가 될까요? (대조군의 값을 보세요.)
# 2. 학습할 때 닫힌 형태가 없었다면, t = T인 입력 하나를 만드는 데 몇 번의 계산이 필요할까요?
# 3. 위 그림에서 숫자를 알아볼 수 있는 마지막 칸은 몇 번째인가요? 그 칸의 ᾱ_t는 얼마인가요?
