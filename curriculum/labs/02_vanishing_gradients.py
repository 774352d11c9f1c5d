# %% [markdown]
# # 실습 2-1. 층별 기울기를 직접 재어 기울기 소실 확인하기
#
# 강의에서 "20층 시그모이드 망의 첫 층은 마지막 층 기울기의 10⁻¹²배쯤밖에 받지 못한다"고 했습니다.
# 이 실습에서는 그 숫자를 여러분이 직접 계산합니다.
#
# - 20층 MLP를 세 가지로 만듭니다: **시그모이드 + Xavier 초기화**, **ReLU + He 초기화**, **시그모이드 + 잔차 연결**.
# - 8×8 숫자 이미지 전체에 대해 손실을 한 번 역전파하고, 층마다 가중치 기울기의 노름(크기)을 잽니다.
# - 빌드가 미리 학습시킨 **참조 모델**(`models/s2_vanishing`)의 `metrics.json`(층별 비율)과 `run.json`(층별 기울기 노름)을
#   불러와 여러분의 결과와 비교합니다. 참조 모델은 다시 학습시키지 않고 저장된 결과 파일을 그대로 읽습니다.
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
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch import nn

# 한글 축 이름이 네모로 깨지지 않도록 설치된 한글 글꼴을 고릅니다.
korean_fonts = [f.name for f in font_manager.fontManager.ttflist if "CJK KR" in f.name]
if korean_fonts:
    plt.rcParams["font.family"] = korean_fonts[0]
plt.rcParams["axes.unicode_minus"] = False

# 참조 모델의 결과 파일: metrics.json은 요약 수치, run.json은 층별 기울기 노름 전체를 담고 있습니다.
reference = Path(models_dir) / "s2_vanishing"
reference_metrics = json.loads((reference / "metrics.json").read_text(encoding="utf-8"))
reference_run = json.loads((reference / "run.json").read_text(encoding="utf-8"))
reference_norms = reference_run["artifacts"]["gradient_norms"]  # 변형 -> [에포크 0(초기화), 1, ...] -> [층 1..20]
depth = reference_run["config"]["depth"]
width = reference_run["config"]["width"]
print(f"참조 모델: {depth}층, 층마다 {width}개 유닛")
for name in ("sigmoid_xavier", "relu_he", "residual"):
    print(f"  {name:15s} 1층/{depth}층 기울기 비율 = {reference_metrics['ratio_' + name]:.2e}")

# %% [markdown]
# ## 0. 데이터 준비
#
# 참조 모델과 똑같이 scikit-learn의 8×8 숫자를 훈련 75% / 테스트 25%로 나누고, 훈련 이미지의 픽셀 64개를 표준화합니다
# (픽셀마다 평균 0, 표준편차 1). 개수는 64의 배수로 자릅니다.

# %%
bunch = load_digits()
images = (bunch.images / 16.0).astype(np.float32).reshape(len(bunch.images), -1)  # [1797, 64]
train_x, _, train_y, _ = train_test_split(images, bunch.target, test_size=0.25, random_state=0,
                                          stratify=bunch.target)
count = len(train_x) - len(train_x) % 64
pixels = torch.from_numpy(train_x[:count])  # [N, 64]
std = pixels.std(dim=0)
std[std < 1e-6] = 1.0  # 항상 비어 있는 구석 픽셀
inputs = (pixels - pixels.mean(dim=0)) / std  # [N, 64]
labels = torch.from_numpy(train_y[:count]).long()  # [N]
print(f"훈련 이미지 {len(inputs)}장, 입력 크기 {inputs.shape[1]}")

# %% [markdown]
# ## 1. 가중치 초기화 구현하기
#
# 입력 뉴런 수를 $n_{in}$, 출력 뉴런 수를 $n_{out}$이라 할 때 가중치를 평균 0인 정규분포에서 뽑습니다.
#
# - **Xavier (Glorot) 초기화**: $\mathrm{Var}(w) = \dfrac{2}{n_{in} + n_{out}}$
# - **He 초기화**: $\mathrm{Var}(w) = \dfrac{2}{n_{in}}$
#
# `nn.Linear(n_in, n_out)`의 가중치 행렬 `linear.weight`의 모양은 `[n_out, n_in]`입니다.
# `initialise`는 가중치를 해당 분포로 채우고 편향(bias)을 0으로 만듭니다. (`torch.nn.init`의 함수를 쓰지 말고 직접 표준편차를 계산해 보세요.)

# %%
def initialise(linear: nn.Linear, scheme: str) -> None:
    """linear의 가중치를 'xavier' 또는 'he' 분포로, 편향을 0으로 초기화한다."""
    n_out, n_in = linear.weight.shape
    with torch.no_grad():
        ### BEGIN SOLUTION
        variance = 2.0 / n_in if scheme == "he" else 2.0 / (n_in + n_out)
        linear.weight.normal_(0.0, variance ** 0.5)
        linear.bias.zero_()
        ### END SOLUTION


# %%
torch.manual_seed(0)
probe = nn.Linear(400, 100)
initialise(probe, "xavier")
xavier_std = probe.weight.std().item()
initialise(probe, "he")
he_std = probe.weight.std().item()
print(f"Xavier 표준편차 {xavier_std:.4f} (이론 {np.sqrt(2 / 500):.4f}), He 표준편차 {he_std:.4f} (이론 {np.sqrt(2 / 400):.4f})")
assert abs(xavier_std - np.sqrt(2 / 500)) < 0.003, "Xavier 초기화의 표준편차가 맞지 않습니다"
assert abs(he_std - np.sqrt(2 / 400)) < 0.003, "He 초기화의 표준편차가 맞지 않습니다"
assert probe.bias.abs().max().item() == 0.0, "편향은 0으로 초기화해야 합니다"
print("확인 완료: 두 초기화의 분산이 이론과 맞습니다.")

# %% [markdown]
# ## 2. 잔차 연결이 있는 깊은 MLP 만들기
#
# 참조 모델과 같은 구조입니다. 층 $l$의 값 $h_l$을
#
# $$h_1 = W_1 x + b_1, \qquad h_l = W_l\, f(h_{l-1}) + b_l \quad (l = 2, \dots, 20)$$
#
# 로 계산하고, 마지막에 $f(h_{20})$을 10개 클래스의 점수로 바꾸는 출력층(`head`)을 둡니다.
# **잔차 연결**을 켜면 $l \ge 2$에서 $h_l = h_{l-1} + W_l\, f(h_{l-1}) + b_l$입니다.
# `forward`를 완성하세요.

# %%
ACTIVATIONS = {"sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "relu": nn.ReLU}


class DeepMLP(nn.Module):
    def __init__(self, activation: str, scheme: str, residual: bool, depth: int = depth, width: int = width):
        super().__init__()
        self.layers = nn.ModuleList(nn.Linear(64 if index == 0 else width, width) for index in range(depth))
        self.head = nn.Linear(width, 10)
        self.activation = ACTIVATIONS[activation]()
        self.residual = residual
        for linear in [*self.layers, self.head]:
            initialise(linear, scheme)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        ### BEGIN SOLUTION
        h = self.layers[0](x)  # [batch, width]
        for linear in self.layers[1:]:
            update = linear(self.activation(h))
            h = h + update if self.residual else update
        ### END SOLUTION
        return self.head(self.activation(h))  # [batch, 10]


# %%
torch.manual_seed(0)
tiny = DeepMLP("relu", "he", residual=True, depth=3, width=8)
for linear in tiny.layers[1:]:  # 1층 이후의 가중치를 0으로 만들면 잔차 망은 h_3 = h_1이어야 한다
    nn.init.zeros_(linear.weight)
x = torch.randn(5, 64)
expected = tiny.head(torch.relu(tiny.layers[0](x)))
assert tiny(x).shape == (5, 10), "출력 모양은 [배치, 10]이어야 합니다"
assert torch.allclose(tiny(x), expected, atol=1e-6), "잔차 연결: 갱신이 0이면 h가 그대로 전달되어야 합니다"
tiny.residual = False
assert torch.allclose(tiny(x), tiny.head(torch.relu(tiny.layers[2].bias.expand(5, -1))), atol=1e-6), \
    "잔차 연결이 없으면 h_l = W_l f(h_(l-1)) + b_l 이어야 합니다"
print("확인 완료: 순방향 계산이 맞습니다.")

# %% [markdown]
# ## 3. 층별 기울기 노름 재기
#
# 훈련 이미지 전체에 대해 교차 엔트로피 손실을 한 번 계산해 역전파하고, 각 층 가중치 행렬의 기울기
# $\partial E / \partial W_l$의 노름(프로베니우스 노름, `tensor.norm()`)을 1층부터 20층까지 리스트로 돌려주세요.
# 재기 전에 이전 기울기가 남아 있지 않도록 `model.zero_grad()`를 먼저 부르세요.

# %%
def layer_gradient_norms(model: DeepMLP, inputs: torch.Tensor, labels: torch.Tensor) -> list[float]:
    """층마다 가중치 기울기의 노름 [1층, 2층, ..., 마지막 층]."""
    ### BEGIN SOLUTION
    model.zero_grad()
    loss = nn.functional.cross_entropy(model(inputs), labels)
    loss.backward()
    return [linear.weight.grad.norm().item() for linear in model.layers]
    ### END SOLUTION


# %%
VARIANTS = {  # 이름 -> (활성화 함수, 초기화, 잔차 연결)
    "sigmoid_xavier": ("sigmoid", "xavier", False),
    "relu_he": ("relu", "he", False),
    "residual": ("sigmoid", "xavier", True),
}
NAMES = {"sigmoid_xavier": "시그모이드 + Xavier", "relu_he": "ReLU + He", "residual": "시그모이드 + 잔차 연결"}

torch.manual_seed(seed)
my_norms = {name: layer_gradient_norms(DeepMLP(*settings), inputs, labels) for name, settings in VARIANTS.items()}
my_ratios = {name: norms[0] / norms[-1] for name, norms in my_norms.items()}
for name, ratio in my_ratios.items():
    print(f"{NAMES[name]:14s} 1층/{depth}층 = {ratio:.2e}   (참조 모델 {reference_metrics['ratio_' + name]:.2e})")

assert all(len(norms) == depth for norms in my_norms.values()), f"층마다 하나씩, {depth}개의 노름이 있어야 합니다"
assert my_ratios["sigmoid_xavier"] < 1e-6, "시그모이드 망의 첫 층 기울기는 마지막 층보다 훨씬 작아야 합니다"
assert 0.1 < my_ratios["relu_he"] < 10 and 0.1 < my_ratios["residual"] < 10, "ReLU+He와 잔차 연결은 비율이 1 근처여야 합니다"
print("확인 완료: 시그모이드 망에서만 기울기가 사라집니다.")

# %% [markdown]
# ## 4. 그림으로 비교하기
#
# 여러분의 측정(실선)과 참조 모델이 초기화 직후 잰 값(`run.json`, 점선)을 한 그림에 그립니다. 세로축은 로그 눈금입니다.

# %%
colours = {"sigmoid_xavier": "#d1495b", "relu_he": "#2e86ab", "residual": "#66a182"}
figure, axis = plt.subplots(figsize=(8, 4.6))
layers = np.arange(1, depth + 1)
for name in VARIANTS:
    axis.plot(layers, my_norms[name], "-o", markersize=3, color=colours[name], label=f"{NAMES[name]} (내 측정)")
    axis.plot(layers, reference_norms[name][0], "--", color=colours[name], alpha=0.7, label=f"{NAMES[name]} (참조 모델)")
axis.set_yscale("log")
axis.set_xlabel("층 (1 = 입력 쪽)")
axis.set_ylabel("가중치 기울기의 노름 (로그 눈금)")
axis.set_title("초기화 직후 층별 기울기 크기")
axis.legend(fontsize=8, loc="lower right")
plt.show()

# %% [markdown]
# 무작위 초기값이 다르므로 값이 정확히 같지는 않습니다. 그래도 **자릿수**(10의 몇 승인지)는 비슷해야 합니다.
# 아래 칸은 여러분의 비율과 참조 모델의 비율이 로그 눈금에서 얼마나 떨어져 있는지 확인합니다.
# `default` 예산에서는 시드를 몇 개 더 바꿔 가며 이 비율이 얼마나 흔들리는지도 봅니다.

# %%
for name in VARIANTS:
    distance = abs(np.log10(my_ratios[name]) - np.log10(reference_metrics["ratio_" + name]))
    print(f"{NAMES[name]:14s} 자릿수 차이 {distance:.2f}")
    assert distance < 2.0, f"{NAMES[name]}: 참조 모델과 자릿수가 크게 다릅니다. 구현을 다시 확인하세요"

extra_seeds = [] if budget == "smoke" else [1, 2, 3, 4]
for extra in extra_seeds:
    torch.manual_seed(extra)
    norms = layer_gradient_norms(DeepMLP(*VARIANTS["sigmoid_xavier"]), inputs, labels)
    print(f"시드 {extra}: 시그모이드 + Xavier 1층/{depth}층 = {norms[0] / norms[-1]:.1e}")
print("확인 완료: 여러분의 측정이 참조 모델과 같은 자릿수입니다.")

# %% [markdown]
# ## 생각해 볼 질문
#
# 1. `DeepMLP("relu", "xavier", residual=False)`의 층별 노름도 재 보세요. 비율은 1 근처인데, 기울기의 **크기**는 He 초기화와 비교해 어떤가요?
#    강의의 표에서 ReLU + Xavier가 느리게 배운 이유와 연결해 보세요.
# 2. 깊이를 20에서 10으로 줄이면 시그모이드 망의 비율은 어떻게 변할까요? $(1/4)^{9}$과 비교해 보세요.
# 3. 잔차 연결이 있는 망에서 첫 층의 기울기가 사라지지 않는 이유를 $\partial h_l / \partial h_{l-1} = I + \dots$로 설명해 보세요.
