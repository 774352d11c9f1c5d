# %% [markdown]
# # 실습 2. 역전파를 손으로 구현해 XOR 학습시키기
#
# 이 실습에서는 은닉층이 있는 가장 작은 신경망, **2-2-1 시그모이드 MLP**의 순전파와 역전파를
# numpy로 직접 구현합니다. 자동 미분 없이, 강의의 네 줄짜리 식(델타와 기울기)만으로 XOR을 학습시킵니다.
#
# - 빌드가 미리 학습시킨 **참조 모델**(`models/mlp_xor`)의 `run.json`(설정, 초기 가중치, 학습 기록),
#   `metrics.json`(결과 지표), `checkpoint.pt`(학습이 끝난 가중치)를 불러옵니다. 참조 모델을 다시 학습시키지 않고
#   그대로 씁니다.
# - 여러분이 구한 기울기를 **PyTorch autograd**와 **수치 미분**으로 검증합니다.
# - 참조 모델과 **같은 초기 가중치, 같은 학습률, 같은 단계 수**로 학습시켜, 같은 가중치에 도착하는지 확인합니다.
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

reference = Path(models_dir) / "mlp_xor"
run = json.loads((reference / "run.json").read_text(encoding="utf-8"))
reference_metrics = json.loads((reference / "metrics.json").read_text(encoding="utf-8"))
checkpoint = torch.load(reference / "checkpoint.pt", weights_only=True)
config = run["config"]

# 가중치는 이름이 붙은 numpy 배열 묶음(dict)으로 다룹니다.
#   W1 [2, 2]: 은닉 유닛 j가 입력 i에서 받는 가중치 w_ji,  b1 [2]
#   W2 [2]:    출력 유닛이 은닉 유닛 j에서 받는 가중치 v_j, b2 [1]
initial_params = {name: np.array(value, dtype=float) for name, value in run["artifacts"]["initial_weights"].items()}
reference_params = {name: tensor.double().numpy() for name, tensor in checkpoint["state"].items()}

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)  # [4, 2]
y = np.array([0, 1, 1, 0], dtype=float)  # [4]: XOR
print(f"참조 모델: 2-{config['hidden']}-1, 학습률 {config['learning_rate']}, "
      f"{config['epochs']} 단계, 시드 {config['seed']}")
print(f"참조 모델의 결과: 정확도 {reference_metrics['accuracy']:.0%}, 평균 오차 {reference_metrics['final_loss']:.2e}")
print("학습이 끝난 참조 가중치:")
for name, value in reference_params.items():
    print(f"  {name} = {np.round(value, 3).tolist()}")

# %% [markdown]
# ## 1. 순전파
#
# 네 입력을 한꺼번에(행렬로) 계산합니다. $\sigma(z) = 1 / (1 + e^{-z})$일 때
#
# $$z^{(1)} = X W_1^{T} + b_1, \quad a = \sigma(z^{(1)}), \qquad
#   z^{(2)} = a\, W_2 + b_2, \quad \hat{y} = \sigma(z^{(2)})$$
#
# `forward`는 역전파에 필요한 중간값을 모두 담은 dict를 돌려줍니다: `z1` [4, 2], `a1` [4, 2], `z2` [4], `y_hat` [4].

# %%
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def forward(params, X):
    """2-2-1 시그모이드 MLP의 순전파. 중간값을 dict로 돌려준다."""
    ### BEGIN SOLUTION
    z1 = X @ params["W1"].T + params["b1"]  # [N, H]
    a1 = sigmoid(z1)  # [N, H]
    z2 = a1 @ params["W2"] + params["b2"]  # [N]
    y_hat = sigmoid(z2)  # [N]
    ### END SOLUTION
    return {"z1": z1, "a1": a1, "z2": z2, "y_hat": y_hat}


def loss(y_hat, y):
    """E = 1/2 (ŷ - y)^2 을 네 점에 대해 평균한다 (참조 모델과 같은 정의)."""
    return float(np.mean(0.5 * (y_hat - y) ** 2))

# %%
# 확인: 참조 모델의 학습된 가중치로 순전파하면, 빌드가 기록한 출력과 같아야 합니다.
cache = forward(reference_params, X)
print("내 순전파로 본 참조 모델의 출력:", np.round(cache["y_hat"], 4))
print("빌드가 기록한 출력:            ", np.round(run["artifacts"]["outputs"], 4))
assert cache["y_hat"].shape == (4,), "y_hat은 네 입력마다 하나씩, 모양 [4]여야 합니다"
assert np.allclose(cache["y_hat"], run["artifacts"]["outputs"], atol=1e-4), "순전파 결과가 참조 모델과 다릅니다"
print("확인 완료: 순전파가 참조 모델과 일치합니다.")

# %% [markdown]
# ## 2. 역전파
#
# 강의의 식을 네 점에 대해 평균한 형태로 씁니다 ($N = 4$). 델타는 "그 유닛의 입력 합 $z$에 대한 오차의 기울기"입니다.
#
# $$\delta_o = \frac{1}{N} (\hat{y} - y)\, \hat{y} (1 - \hat{y}) \quad [N], \qquad
#   \delta_h = \delta_o\, v_j\, a_j (1 - a_j) \quad [N, H]$$
#
# $$\frac{\partial E}{\partial W_2} = \sum_n \delta_o a, \quad \frac{\partial E}{\partial b_2} = \sum_n \delta_o, \quad
#   \frac{\partial E}{\partial W_1} = \delta_h^{T} X, \quad \frac{\partial E}{\partial b_1} = \sum_n \delta_h$$
#
# `backward`는 `params`와 같은 이름과 모양의 기울기 dict를 돌려줍니다.

# %%
def backward(params, X, y, cache):
    """E = mean(1/2 (ŷ - y)^2)의 모든 가중치에 대한 기울기를 역전파로 구한다."""
    ### BEGIN SOLUTION
    count = X.shape[0]
    y_hat, a1 = cache["y_hat"], cache["a1"]
    delta_output = (y_hat - y) * y_hat * (1 - y_hat) / count  # [N]
    delta_hidden = delta_output[:, None] * params["W2"][None, :] * a1 * (1 - a1)  # [N, H]
    gradients = {
        "W1": delta_hidden.T @ X,  # [H, 2]
        "b1": delta_hidden.sum(axis=0),  # [H]
        "W2": delta_output @ a1,  # [H]
        "b2": np.array([delta_output.sum()]),  # [1]
    }
    ### END SOLUTION
    return gradients

# %% [markdown]
# ### 기울기 검증 1: PyTorch autograd
#
# 같은 신경망을 PyTorch 텐서로 계산하고 `loss.backward()`가 구한 기울기와 비교합니다.
# 참조 모델의 **초기 가중치**(학습 전)에서 비교합니다.

# %%
def autograd_gradients(params, X, y):
    tensors = {name: torch.tensor(value, dtype=torch.float64, requires_grad=True) for name, value in params.items()}
    inputs, targets = torch.tensor(X), torch.tensor(y)
    hidden = torch.sigmoid(inputs @ tensors["W1"].T + tensors["b1"])
    output = torch.sigmoid(hidden @ tensors["W2"] + tensors["b2"])
    torch.mean(0.5 * (output - targets) ** 2).backward()
    return {name: tensor.grad.numpy() for name, tensor in tensors.items()}


my_gradients = backward(initial_params, X, y, forward(initial_params, X))
torch_gradients = autograd_gradients(initial_params, X, y)
for name, weight in initial_params.items():
    difference = np.abs(my_gradients[name] - torch_gradients[name]).max()
    print(f"{name}: 내 기울기 {np.round(my_gradients[name], 5).tolist()}  최대 차이 {difference:.1e}")
    assert my_gradients[name].shape == weight.shape, f"{name}의 기울기 모양이 가중치와 다릅니다"
    assert np.allclose(my_gradients[name], torch_gradients[name], atol=1e-10), f"{name}의 기울기가 autograd와 다릅니다"
print("확인 완료: 역전파 기울기가 autograd와 일치합니다.")

# %% [markdown]
# ### 기울기 검증 2: 수치 미분
#
# 가중치 하나를 $\pm h$만큼 바꿔 손실의 변화로 기울기를 근사합니다 (중심 차분):
# $\dfrac{\partial E}{\partial w} \approx \dfrac{E(w + h) - E(w - h)}{2h}$.
# 가중치가 9개뿐이라 가능하지만, 가중치가 백만 개라면 순전파를 2백만 번 해야 합니다. 역전파는 한 번이면 됩니다.

# %%
def numerical_gradients(params, X, y, h=1e-6):
    gradients = {}
    for name, value in params.items():
        gradient = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            shifted = {key: array.copy() for key, array in params.items()}
            shifted[name][index] = value[index] + h
            plus = loss(forward(shifted, X)["y_hat"], y)
            shifted[name][index] = value[index] - h
            minus = loss(forward(shifted, X)["y_hat"], y)
            gradient[index] = (plus - minus) / (2 * h)
        gradients[name] = gradient
    return gradients


numeric = numerical_gradients(initial_params, X, y)
worst = max(np.abs(my_gradients[name] - numeric[name]).max() for name in initial_params)
print(f"역전파와 수치 미분의 최대 차이: {worst:.1e}")
assert worst < 1e-7, "역전파 기울기가 수치 미분과 다릅니다"
print("확인 완료: 역전파 기울기가 수치 미분과 일치합니다.")

# %% [markdown]
# ## 3. 경사 하강법으로 학습시키기
#
# 네 점 전체에 대한 기울기로 모든 가중치를 $w \leftarrow w - \eta\, \partial E / \partial w$로 고치는 일을
# `epochs`번 반복합니다. 매 단계의 손실(갱신 전)을 `losses`에 기록하세요.
#
# 참조 모델과 **같은 초기 가중치, 같은 학습률, 같은 단계 수**를 씁니다. 알고리즘이 같으니 도착점도 같아야 합니다.

# %%
def train(params, X, y, learning_rate, epochs):
    """전체 배치 경사 하강법. (학습된 가중치, 단계별 손실 목록)을 돌려준다."""
    params = {name: value.copy() for name, value in params.items()}
    losses = []
    ### BEGIN SOLUTION
    for _ in range(epochs):
        cache = forward(params, X)
        losses.append(loss(cache["y_hat"], y))
        gradients = backward(params, X, y, cache)
        for name in params:
            params[name] = params[name] - learning_rate * gradients[name]
    ### END SOLUTION
    return params, losses


my_params, my_losses = train(initial_params, X, y, config["learning_rate"], config["epochs"])
my_output = forward(my_params, X)["y_hat"]
my_accuracy = float(np.mean((my_output > 0.5) == (y > 0.5)))
print(f"내 신경망의 출력: {np.round(my_output, 3).tolist()}, 정확도 {my_accuracy:.0%}, 최종 손실 {my_losses[-1]:.2e}")
largest = max(np.abs(my_params[name] - reference_params[name]).max() for name in my_params)
print(f"참조 모델의 학습된 가중치와의 최대 차이: {largest:.1e}")

assert len(my_losses) == config["epochs"], "단계마다 손실을 하나씩 기록해야 합니다"
assert my_losses[-1] < my_losses[0], "학습하면 손실이 줄어야 합니다"
assert my_accuracy == reference_metrics["accuracy"], "정확도가 참조 모델과 다릅니다"
assert largest < 1e-2, "같은 초기값과 학습률이면 참조 모델과 거의 같은 가중치에 도착해야 합니다"
print("확인 완료: 손으로 짠 역전파가 빌드의 참조 모델과 같은 신경망을 학습했습니다.")

# %% [markdown]
# ## 4. 학습 곡선과 은닉 표현 살펴보기
#
# 왼쪽: 내 손실 곡선과 참조 모델의 기록(`run.json`의 `history`). 가운데: 입력 평면의 결정 영역.
# 오른쪽: 네 입력이 은닉층에서 어디로 옮겨졌는지 — 이 공간에서는 XOR이 직선으로 나뉩니다.

# %%
figure, (loss_axis, region_axis, hidden_axis) = plt.subplots(1, 3, figsize=(15, 4.4))
loss_axis.plot(my_losses, label="내 구현", linewidth=2.5)
loss_axis.plot(run["history"]["step"], run["history"]["loss"], "--", color="black", label="참조 모델 (run.json)")
loss_axis.set_yscale("log")
loss_axis.set_xlabel("경사 하강 단계")
loss_axis.set_ylabel("평균 오차 (로그 눈금)")
loss_axis.set_title("학습 곡선")
loss_axis.legend()

axis_values = np.linspace(-0.5, 1.5, 101)
grid_x, grid_y = np.meshgrid(axis_values, axis_values)
grid_output = forward(my_params, np.stack([grid_x.ravel(), grid_y.ravel()], axis=1))["y_hat"].reshape(grid_x.shape)
region_axis.contourf(grid_x, grid_y, grid_output, levels=np.linspace(0, 1, 11), cmap="RdBu", alpha=0.75)
region_axis.contour(grid_x, grid_y, grid_output, levels=[0.5], colors="black", linewidths=2)
region_axis.scatter(*X[y == 1].T, s=120, c="#2e86ab", edgecolor="black", label="XOR = 1")
region_axis.scatter(*X[y == 0].T, s=120, c="#d1495b", marker="s", edgecolor="black", label="XOR = 0")
region_axis.set_xlabel("$x_1$")
region_axis.set_ylabel("$x_2$")
region_axis.set_title("결정 영역 (검은 선: 출력 0.5)")
region_axis.legend(loc="upper right", fontsize=9)

hidden = forward(my_params, X)["a1"]  # [4, 2]
hidden_axis.scatter(*hidden[y == 1].T, s=120, c="#2e86ab", edgecolor="black", label="XOR = 1")
hidden_axis.scatter(*hidden[y == 0].T, s=120, c="#d1495b", marker="s", edgecolor="black", label="XOR = 0")
for index, (point, inputs) in enumerate(zip(hidden, X, strict=True)):
    # (0,1)과 (1,0)은 은닉 공간에서 거의 한 점에 모이므로 이름을 위아래로 나누어 적습니다.
    hidden_axis.annotate(f"({int(inputs[0])},{int(inputs[1])})", point, xytext=(-40, 8 if index != 2 else -16),
                         textcoords="offset points")
line = np.linspace(-0.05, 1.05, 50)  # 출력 유닛의 경계: v1 a1 + v2 a2 + c = 0
hidden_axis.plot(line, -(my_params["W2"][0] * line + my_params["b2"][0]) / my_params["W2"][1], color="black")
hidden_axis.set_xlim(-0.05, 1.05)
hidden_axis.set_ylim(-0.05, 1.05)
hidden_axis.set_xlabel("은닉 유닛 1의 출력 $a_1$")
hidden_axis.set_ylabel("은닉 유닛 2의 출력 $a_2$")
hidden_axis.set_title("은닉 공간: 직선 하나로 나뉜다")
figure.tight_layout()
plt.show()

# %% [markdown]
# ## 5. 초기값이 나쁘면? (관찰만 하는 칸)
#
# 은닉 유닛이 2개뿐이면 어떤 초기값에서는 경사 하강이 지역 최솟값에 갇혀 XOR을 풀지 못합니다.
# 여러 무작위 초기값으로 학습시켜 몇 번이나 푸는지 세어 봅니다 (`smoke` 프로필에서는 적은 수만 시도합니다).

# %%
trials = 4 if budget == "smoke" else 12
epochs = min(config["epochs"], 1500) if budget == "smoke" else config["epochs"]
generator = np.random.default_rng(seed)
solved = 0
for trial in range(trials):
    start = {name: generator.uniform(-1, 1, value.shape) for name, value in initial_params.items()}
    trained, _ = train(start, X, y, config["learning_rate"], epochs)
    output = forward(trained, X)["y_hat"]
    ok = bool(np.all((output > 0.5) == (y > 0.5)))
    solved += ok
    print(f"시도 {trial + 1}: 출력 {np.round(output, 2).tolist()}  {'풀었음' if ok else '갇힘'}")
print(f"{trials}번 중 {solved}번 XOR을 풀었습니다. "
      f"참조 모델의 여러 시드 중 푼 비율: {reference_metrics['solved_fraction']:.0%}")

# %% [markdown]
# ## 생각해 볼 질문
#
# 1. 시그모이드의 기울기 $\sigma'(z) = \sigma(z)(1 - \sigma(z))$는 최대 0.25입니다. 은닉층이 20개라면 첫 층의 델타는
#    어떻게 될까요? (2회차의 기울기 소실 문제)
# 2. 은닉 유닛을 4개로 늘리면 5번 칸의 "갇힘"은 어떻게 될까요? `initial_params`의 모양을 바꿔 시도해 보세요.
# 3. 학습률을 0.5로 줄이면 같은 단계 수 안에 XOR을 풀까요? 손실 곡선의 평평한 구간은 어떻게 변할까요?
