# %% [markdown]
# # 실습 2-2. PCA를 직접 구현해 오토인코더와 비교하기
#
# 힌튼과 살라후트디노프(2006)는 깊은 오토인코더가 같은 크기의 PCA보다 이미지를 더 잘 압축한다는 것을 보였습니다.
# 이 실습에서는 8×8 숫자 이미지(픽셀 64개)를 **숫자 2개**로 줄여 그 주장을 확인합니다.
#
# - **PCA**를 특잇값 분해(SVD)로 직접 구현하고, 2차원 코드에서 이미지를 되살린 재구성 오차를 잽니다.
# - 빌드가 미리 학습시킨 **참조 오토인코더**(`models/s2_autoencoder`)의 체크포인트(`checkpoint.pt`)를 불러와
#   같은 테스트 이미지에서 재구성 오차를 계산하고, 빌드가 기록한 `metrics.json`의 값과 비교합니다.
#   오토인코더는 다시 학습시키지 않고 체크포인트의 가중치를 그대로 씁니다.
# - 두 방법의 2차원 코드를 산점도로 그려 비교합니다.
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

# 참조 오토인코더: checkpoint.pt에는 설정(config)과 가중치(state)가, metrics.json에는 빌드가 잰 수치가 있습니다.
reference = Path(models_dir) / "s2_autoencoder"
checkpoint = torch.load(reference / "checkpoint.pt", weights_only=True)
reference_metrics = json.loads((reference / "metrics.json").read_text(encoding="utf-8"))
config = checkpoint["config"]
print(f"참조 오토인코더 설정: 코드 크기 {config['code_size']}, 은닉 {config['hidden']}, {config['epochs']} 에포크 학습")
print(f"빌드가 잰 테스트 재구성 오차: 오토인코더 {reference_metrics['reconstruction_error_ae']:.4f}, "
      f"PCA {reference_metrics['reconstruction_error_pca']:.4f}")

# %% [markdown]
# ## 0. 데이터 준비
#
# 참조 모델과 똑같이 scikit-learn의 8×8 숫자를 훈련 75% / 테스트 25%로 나눕니다. 픽셀 값은 0~1 사이입니다.

# %%
bunch = load_digits()
images = (bunch.images / 16.0).astype(np.float32).reshape(len(bunch.images), -1)  # [1797, 64]
train_x, test_x, train_y, test_y = train_test_split(images, bunch.target, test_size=0.25, random_state=0,
                                                    stratify=bunch.target)
train_p, test_p = torch.from_numpy(train_x), torch.from_numpy(test_x)  # [N, 64], [M, 64]
print(f"훈련 {len(train_p)}장, 테스트 {len(test_p)}장, 이미지 하나 = 픽셀 {train_p.shape[1]}개")

# %% [markdown]
# ## 1. SVD로 PCA 구하기
#
# 훈련 데이터 행렬 $X$ (행 = 이미지)에서 평균 $\mu$를 빼고 특잇값 분해 $X - \mu = U \Sigma V^T$를 합니다.
# $V^T$의 첫 `size`개 행이 **주성분**(분산이 가장 큰 방향, 서로 직교하는 단위 벡터)입니다.
#
# `fit_pca`는 `(mean [64], components [size, 64], explained)`를 돌려줍니다. `explained`는 선택한 성분들이 담는 분산의 비율
# $\sum_{i \le size} \sigma_i^2 / \sum_i \sigma_i^2$ 입니다. (`torch.linalg.svd(..., full_matrices=False)`를 쓰세요.)

# %%
def fit_pca(data: torch.Tensor, size: int) -> tuple[torch.Tensor, torch.Tensor, float]:
    """data [N, D]의 PCA: (평균 [D], 주성분 [size, D], 설명된 분산 비율)."""
    ### BEGIN SOLUTION
    mean = data.mean(dim=0)
    _, singular, right = torch.linalg.svd(data - mean, full_matrices=False)
    components = right[:size]
    explained = (singular[:size] ** 2).sum().item() / (singular**2).sum().item()
    ### END SOLUTION
    return mean, components, explained


# %%
code_size = config["code_size"]
pca_mean, pca_components, explained = fit_pca(train_p, code_size)
print(f"주성분 {code_size}개가 담는 분산: {explained:.1%} (빌드 값 {reference_metrics['pca_explained_variance']:.1%})")
assert pca_components.shape == (code_size, 64), "주성분의 모양은 [코드 크기, 64]여야 합니다"
assert torch.allclose(pca_components @ pca_components.T, torch.eye(code_size), atol=1e-4), "주성분은 서로 직교하는 단위 벡터여야 합니다"
# 빌드가 저장한 주성분과 같은 방향인지 확인합니다 (부호는 반대일 수 있습니다).
alignment = (pca_components * checkpoint["state"]["pca_components"]).sum(dim=1).abs()
assert torch.all(alignment > 0.999), "빌드의 PCA와 주성분 방향이 다릅니다"
assert abs(explained - reference_metrics["pca_explained_variance"]) < 1e-4, "설명된 분산 비율이 빌드 값과 다릅니다"
print("확인 완료: 여러분의 PCA가 빌드의 PCA와 같습니다.")

# %% [markdown]
# ## 2. 부호화, 복호화, 재구성 오차
#
# - **부호화(encode)**: 코드 $c = (x - \mu) V_k^T$ — 이미지 하나가 숫자 `code_size`개가 됩니다.
# - **복호화(decode)**: $\hat{x} = c\, V_k + \mu$. 픽셀은 0~1 사이이므로 `clamp(0, 1)`로 자릅니다 (빌드도 그렇게 합니다).
# - **재구성 오차**: 테스트 이미지의 픽셀당 평균 제곱 오차 $\frac{1}{M \cdot 64} \sum (x - \hat{x})^2$.

# %%
def pca_encode(data: torch.Tensor, mean: torch.Tensor, components: torch.Tensor) -> torch.Tensor:
    ### BEGIN SOLUTION
    return (data - mean) @ components.T
    ### END SOLUTION


def pca_decode(codes: torch.Tensor, mean: torch.Tensor, components: torch.Tensor) -> torch.Tensor:
    ### BEGIN SOLUTION
    return (codes @ components + mean).clamp(0, 1)
    ### END SOLUTION


def reconstruction_error(original: torch.Tensor, reconstructed: torch.Tensor) -> float:
    ### BEGIN SOLUTION
    return ((original - reconstructed) ** 2).mean().item()
    ### END SOLUTION


# %%
pca_codes = pca_encode(test_p, pca_mean, pca_components)  # [M, 2]
pca_error = reconstruction_error(test_p, pca_decode(pca_codes, pca_mean, pca_components))
print(f"내 PCA의 테스트 재구성 오차: {pca_error:.4f} (빌드 값 {reference_metrics['reconstruction_error_pca']:.4f})")
assert pca_codes.shape == (len(test_p), code_size), "코드의 모양은 [테스트 이미지 수, 코드 크기]여야 합니다"
assert abs(pca_error - reference_metrics["reconstruction_error_pca"]) < 1e-4, "PCA 재구성 오차가 빌드 값과 다릅니다"
print("확인 완료: PCA의 재구성 오차가 빌드 값과 같습니다.")

# %% [markdown]
# ## 3. 참조 오토인코더 불러오기
#
# `pipeline/models/autoencoder.py`와 같은 구조(64-128-32-2-32-128-64, ReLU, 코드 층은 선형, 출력은 시그모이드)를 만들고
# 체크포인트의 가중치(`checkpoint["state"]["model"]`)를 불러옵니다. 구조는 이미 적어 두었습니다.
# `autoencoder_codes_and_error`에서 테스트 이미지의 2차원 코드와 재구성 오차를 계산하세요
# (`model.encoder`, `model.decoder`를 쓰고, 기울기는 필요 없으니 `torch.no_grad()` 안에서).

# %%
class Autoencoder(nn.Module):
    def __init__(self, code_size: int, hidden: int):
        super().__init__()
        middle = hidden // 4
        self.encoder = nn.Sequential(
            nn.Linear(64, hidden), nn.ReLU(),
            nn.Linear(hidden, middle), nn.ReLU(),
            nn.Linear(middle, code_size),
        )
        self.decoder = nn.Sequential(
            nn.Linear(code_size, middle), nn.ReLU(),
            nn.Linear(middle, hidden), nn.ReLU(),
            nn.Linear(hidden, 64), nn.Sigmoid(),
        )


autoencoder = Autoencoder(config["code_size"], config["hidden"])
autoencoder.load_state_dict(checkpoint["state"]["model"])
autoencoder.eval()


def autoencoder_codes_and_error(model: Autoencoder, data: torch.Tensor) -> tuple[torch.Tensor, float]:
    """(코드 [M, code_size], 픽셀당 평균 제곱 재구성 오차)."""
    ### BEGIN SOLUTION
    with torch.no_grad():
        codes = model.encoder(data)
        error = reconstruction_error(data, model.decoder(codes))
    ### END SOLUTION
    return codes, error


# %%
ae_codes, ae_error = autoencoder_codes_and_error(autoencoder, test_p)
print(f"오토인코더의 테스트 재구성 오차: {ae_error:.4f} (빌드 값 {reference_metrics['reconstruction_error_ae']:.4f})")
assert ae_codes.shape == (len(test_p), code_size)
assert abs(ae_error - reference_metrics["reconstruction_error_ae"]) < 1e-4, "오토인코더 재구성 오차가 빌드 값과 다릅니다"
print("확인 완료: 체크포인트에서 빌드와 같은 오차를 재현했습니다.")
if ae_error < pca_error:
    print(f"→ 같은 숫자 2개로 오토인코더가 PCA보다 오차를 {1 - ae_error / pca_error:.0%} 줄였습니다.")
else:
    print(f"→ 이번 빌드({budget} 예산)의 오토인코더는 학습이 짧아 아직 PCA보다 오차가 큽니다. default 예산에서 다시 보세요.")

# %% [markdown]
# ## 4. 2차원 코드 비교하기
#
# 테스트 이미지마다 코드 2개를 점 하나로 찍고, 숫자(0~9)별로 색을 칠합니다.

# %%
figure, axes = plt.subplots(1, 2, figsize=(11, 4.8))
for axis, codes, title in ((axes[0], pca_codes, f"PCA (오차 {pca_error:.4f})"),
                           (axes[1], ae_codes, f"오토인코더 (오차 {ae_error:.4f})")):
    scatter = axis.scatter(codes[:, 0], codes[:, 1], c=test_y, cmap="tab10", s=9, alpha=0.8)
    axis.set_title(title)
    axis.set_xlabel("코드 1")
    axis.set_ylabel("코드 2")
figure.colorbar(scatter, ax=axes, ticks=range(10), label="숫자")
plt.show()

# %%
shown = [int(np.flatnonzero(test_y == digit)[0]) for digit in range(10)]
with torch.no_grad():
    rows = [test_p[shown], pca_decode(pca_codes[shown], pca_mean, pca_components), autoencoder.decoder(ae_codes[shown])]
figure, axes = plt.subplots(3, 10, figsize=(10, 3.4))
for row, (images_row, name) in enumerate(zip(rows, ["원본", "PCA", "오토인코더"], strict=True)):
    for column in range(10):
        axes[row, column].imshow(images_row[column].reshape(8, 8), cmap="gray_r", vmin=0, vmax=1)
        axes[row, column].set_xticks([])
        axes[row, column].set_yticks([])
    axes[row, 0].set_ylabel(name)
figure.suptitle("숫자 2개로 되살린 이미지")
plt.show()

# %% [markdown]
# ## 생각해 볼 질문
#
# 1. `fit_pca(train_p, 10)`으로 코드 크기를 10으로 늘리면 PCA의 재구성 오차는 얼마가 되나요? 2차원 오토인코더와 비교해 보세요.
# 2. PCA는 "선형 부호화 중 재구성 오차가 가장 작은 방법"입니다. 그런데도 오토인코더가 이길 수 있는 이유는 무엇일까요?
# 3. 산점도에서 PCA가 잘 구분하지 못하는 숫자 쌍은 무엇인가요? 그 숫자들의 모양은 왜 비슷할까요?
