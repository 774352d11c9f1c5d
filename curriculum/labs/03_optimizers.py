# %% [markdown]
# # 실습 3-1. 모멘텀과 Adam을 손으로 구현하기
#
# 이 실습에서는 두 가지 최적화 기법의 갱신 규칙을 직접 구현합니다.
#
# - **모멘텀 SGD**: 기울기를 속도에 쌓아 가며 움직인다.
# - **Adam**: 기울기의 이동 평균과 기울기 제곱의 이동 평균으로 파라미터마다 보폭을 맞춘다.
#
# 구현한 규칙을 로젠브록 함수 $f(x, y) = (1 - x)^2 + 100\,(y - x^2)^2$ 위에서 돌려,
# PyTorch의 `torch.optim`과 **같은 경로**를 그리는지 확인합니다.
# 출발점, 학습률, 단계 수는 빌드가 학습시킨 **참조 실험**(`models/s3_optimizers`)의 `run.json`에서 그대로 읽어 오고,
# 마지막에는 여러분의 결과를 참조 실험의 `metrics.json`과 비교합니다. 참조 실험을 다시 돌리지 않고 저장된 결과를 씁니다.
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

# 한글 축 이름이 네모로 깨지지 않도록 설치된 한글 글꼴을 고릅니다.
korean_fonts = [f.name for f in font_manager.fontManager.ttflist if "CJK KR" in f.name]
if korean_fonts:
    plt.rcParams["font.family"] = korean_fonts[0]
plt.rcParams["axes.unicode_minus"] = False

reference = Path(models_dir) / "s3_optimizers"
run = json.loads((reference / "run.json").read_text(encoding="utf-8"))
reference_metrics = json.loads((reference / "metrics.json").read_text(encoding="utf-8"))
config = run["config"]
start = np.array([config["surface_start_x"], config["surface_start_y"]])
steps = config["surface_steps"]
sgd_lr = config["surface_sgd_learning_rate"]  # SGD와 모멘텀이 같이 쓰는 학습률
adam_lr = config["surface_adam_learning_rate"]
mu = config["momentum"]
print(f"출발점 {start.tolist()}, {steps}단계, SGD/모멘텀 학습률 {sgd_lr}, 모멘텀 {mu}, Adam 학습률 {adam_lr}")

# %% [markdown]
# ## 0. 로젠브록 함수와 기울기
#
# 최솟값은 $(1, 1)$에서 0입니다. 골짜기를 가로지르는 방향이 따라가는 방향보다 훨씬 가파른 함수라,
# 최적화 기법의 차이가 잘 드러납니다. 기울기는 손으로 미분한 식입니다.
#
# $$\frac{\partial f}{\partial x} = -2(1 - x) - 400\,x\,(y - x^2), \qquad \frac{\partial f}{\partial y} = 200\,(y - x^2)$$

# %%
def rosenbrock(point):
    x, y = point[..., 0], point[..., 1]
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def rosenbrock_gradient(point):
    x, y = point
    return np.array([-2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)])


print(f"출발점의 함수 값 {rosenbrock(start):.2f}, 기울기 {rosenbrock_gradient(start)}")

# %% [markdown]
# ## 1. 모멘텀 SGD
#
# PyTorch의 `torch.optim.SGD(momentum=μ)`와 같은 형태로 씁니다. 속도 $v$는 0에서 시작합니다.
#
# $$v \leftarrow \mu\, v + g, \qquad \theta \leftarrow \theta - \eta\, v$$
#
# `momentum_step`은 현재 위치 `theta`, 속도 `velocity`, 기울기 `gradient`를 받아 (새 위치, 새 속도)를 돌려줍니다.

# %%
def momentum_step(theta, velocity, gradient, learning_rate, momentum):
    """모멘텀 SGD 한 단계: (새 theta, 새 velocity)를 돌려준다."""
    ### BEGIN SOLUTION
    velocity = momentum * velocity + gradient
    theta = theta - learning_rate * velocity
    ### END SOLUTION
    return theta, velocity


# %% [markdown]
# 작은 예로 확인합니다. 기울기가 계속 $g = (1, -2)$로 같다면, 속도는 $1, 1 + \mu, 1 + \mu + \mu^2, \dots$배로 커집니다.

# %%
theta, velocity = np.zeros(2), np.zeros(2)
for _ in range(3):
    theta, velocity = momentum_step(theta, velocity, np.array([1.0, -2.0]), learning_rate=0.1, momentum=0.5)
assert np.allclose(velocity, [1.75, -3.5]), f"속도가 틀렸습니다: {velocity}"
assert np.allclose(theta, [-0.1 * (1 + 1.5 + 1.75), 0.2 * (1 + 1.5 + 1.75)]), f"위치가 틀렸습니다: {theta}"
print("확인 완료: 같은 기울기가 이어지면 속도가 쌓입니다.")

# %% [markdown]
# ## 2. Adam
#
# $t$는 1부터 세는 단계 번호, $m$과 $s$는 0에서 시작합니다. PyTorch의 기본값 $\beta_1 = 0.9$, $\beta_2 = 0.999$, $\epsilon = 10^{-8}$을 씁니다.
#
# $$m \leftarrow \beta_1 m + (1 - \beta_1)\, g, \qquad s \leftarrow \beta_2 s + (1 - \beta_2)\, g^2$$
#
# $$\hat{m} = \frac{m}{1 - \beta_1^t}, \qquad \hat{s} = \frac{s}{1 - \beta_2^t}, \qquad \theta \leftarrow \theta - \eta\, \frac{\hat{m}}{\sqrt{\hat{s}} + \epsilon}$$

# %%
def adam_step(theta, m, s, t, gradient, learning_rate, beta1=0.9, beta2=0.999, eps=1e-8):
    """Adam 한 단계 (t는 1부터): (새 theta, 새 m, 새 s)를 돌려준다."""
    ### BEGIN SOLUTION
    m = beta1 * m + (1 - beta1) * gradient
    s = beta2 * s + (1 - beta2) * gradient**2
    m_hat = m / (1 - beta1**t)
    s_hat = s / (1 - beta2**t)
    theta = theta - learning_rate * m_hat / (np.sqrt(s_hat) + eps)
    ### END SOLUTION
    return theta, m, s


# %% [markdown]
# Adam의 재미있는 성질: 편향 보정 덕분에 **첫 단계는 기울기의 크기와 상관없이 각 좌표가 거의 정확히 학습률만큼** 움직입니다.
# 기울기가 $(1000, -0.001)$처럼 크기가 백만 배 달라도 마찬가지입니다.

# %%
theta, m, s = adam_step(np.zeros(2), np.zeros(2), np.zeros(2), 1, np.array([1000.0, -0.001]), learning_rate=0.1)
print(f"첫 단계 뒤의 위치: {theta}")
assert np.allclose(theta, [-0.1, 0.1], atol=1e-5), "첫 단계는 -학습률 × 기울기의 부호여야 합니다"
assert np.allclose(m, [100.0, -0.0001]) and np.allclose(s, [1000.0, 1e-9]), "m 또는 s가 틀렸습니다"
print("확인 완료: Adam은 방향마다 보폭을 맞춥니다.")

# %% [markdown]
# ## 3. torch.optim과 같은 경로를 그리는가?
#
# 이제 로젠브록 함수 위에서 세 가지 방법을 참조 실험과 같은 조건으로 돌립니다.
# 같은 조건의 `torch.optim` 경로도 구해, 두 경로가 (부동소수점 오차 안에서) 일치하는지 봅니다.

# %%
def my_path(name):
    theta, velocity = start.copy(), np.zeros(2)
    m, s = np.zeros(2), np.zeros(2)
    path = [theta.copy()]
    for t in range(1, steps + 1):
        gradient = rosenbrock_gradient(theta)
        if name == "sgd":
            theta = theta - sgd_lr * gradient
        elif name == "momentum":
            theta, velocity = momentum_step(theta, velocity, gradient, sgd_lr, mu)
        else:
            theta, m, s = adam_step(theta, m, s, t, gradient, adam_lr)
        path.append(theta.copy())
    return np.array(path)


def torch_path(name):
    point = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    if name == "sgd":
        optimizer = torch.optim.SGD([point], lr=sgd_lr)
    elif name == "momentum":
        optimizer = torch.optim.SGD([point], lr=sgd_lr, momentum=mu)
    else:
        optimizer = torch.optim.Adam([point], lr=adam_lr)
    path = [point.detach().numpy().copy()]
    for _ in range(steps):
        optimizer.zero_grad()
        rosenbrock(point).backward()
        optimizer.step()
        path.append(point.detach().numpy().copy())
    return np.array(path)


names = ["sgd", "momentum", "adam"]
mine = {name: my_path(name) for name in names}
theirs = {name: torch_path(name) for name in names}
for name in names:
    gap = np.abs(mine[name] - theirs[name]).max()
    print(f"{name:>8}: 최종 위치 {mine[name][-1].round(4)}, 함수 값 {rosenbrock(mine[name][-1]):.4g}, "
          f"torch.optim과의 최대 차이 {gap:.1e}")
    assert gap < 1e-6, f"{name}: torch.optim과 경로가 다릅니다"
print("확인 완료: 손으로 쓴 갱신 규칙이 torch.optim과 같은 경로를 그립니다.")

# %%
grid_x, grid_y = np.meshgrid(np.linspace(-2, 2, 200), np.linspace(-1, 3, 200))
values = np.log10(1 + rosenbrock(np.stack([grid_x, grid_y], axis=-1)))
labels = {"sgd": "SGD", "momentum": "모멘텀 SGD", "adam": "Adam"}
figure, axis = plt.subplots(figsize=(7, 5.5))
axis.contourf(grid_x, grid_y, values, levels=24, cmap="Greys", alpha=0.55)
widths = {"sgd": 5, "momentum": 2.5, "adam": 2.5}  # SGD를 넓게 깔아야 겹친 경로가 보인다
for name in names:
    axis.plot(*mine[name].T, label=f"{labels[name]} (내 구현)", linewidth=widths[name])
    reference_path = np.array(run["artifacts"]["trajectories"][name])
    axis.plot(*reference_path.T, "--", color="black", linewidth=0.8)
axis.plot(*start, "ks", markersize=8)
axis.plot(1, 1, "*", color="gold", markersize=18, markeredgecolor="black")
axis.set_title(f"로젠브록 골짜기 위의 {steps}단계 (점선: 참조 실험의 경로)")
axis.legend(loc="lower left")
plt.show()

# %% [markdown]
# ## 4. 참조 실험의 결과와 비교하기
#
# 참조 실험은 같은 계산을 32비트 실수로 했으므로 마지막 자리까지 같지는 않지만, 도착한 함수 값은 거의 같아야 합니다.
# 참조 실험은 8×8 숫자 분류 MLP도 세 방법으로 학습시켰습니다. 그 결과도 `metrics.json`에서 읽어 표로 봅니다.

# %%
print(f"{'방법':>10} | {'내 로젠브록 값':>12} | {'참조 로젠브록 값':>14} | "
      f"{'숫자 MLP 훈련 손실':>16} | {'숫자 MLP 테스트 정확도':>18}")
for name in names:
    my_value = rosenbrock(mine[name][-1])
    reference_value = reference_metrics[f"surface_loss_{name}"]
    print(f"{labels[name]:>10} | {my_value:>14.4g} | {reference_value:>16.4g} | "
          f"{reference_metrics[f'final_loss_{name}']:>19.3f} | {reference_metrics[f'test_accuracy_{name}']:>21.1%}")
    assert abs(my_value - reference_value) <= 0.05 * reference_value + 1e-3, f"{name}: 참조 실험과 결과가 다릅니다"
assert abs(rosenbrock(start) - reference_metrics["surface_start_loss"]) < 1e-3
print("확인 완료: 참조 실험과 같은 곳에 도착했습니다.")

# %% [markdown]
# ## 생각해 볼 질문
#
# 1. SGD의 학습률을 0.01로 올리면 어떻게 될까요? `sgd_lr`를 바꿔 `my_path("sgd")`를 돌려 보세요. (출발점 근처의 곡률은 약 1000입니다.)
# 2. 모멘텀 μ를 0.99로 올리면 경로가 어떻게 변할까요? 왜 최솟값 주변을 크게 맴돌까요?
# 3. 숫자 분류 MLP에서는 어느 방법이 가장 낮은 손실에 도달했나요? 강의에서 "Adam이 항상 1등은 아니다"라고 한 이유를 표에서 찾아보세요.
