# %% [markdown]
# # 실습 1. 퍼셉트론을 직접 구현하고 XOR에서 실패해 보기
#
# 이 실습에서는 로젠블랫의 퍼셉트론 학습 규칙을 직접 구현합니다.
#
# - 빌드가 미리 학습시킨 **참조 모델**(`models/perceptron_separable`)의 데이터와 체크포인트를 불러와,
#   같은 데이터에서 여러분의 구현도 수렴하는지 확인합니다. 참조 모델을 다시 학습시키지 않고 체크포인트를 그대로 씁니다.
# - 같은 규칙이 XOR에서는 끝내 수렴하지 않는다는 것을 확인합니다.
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

reference = Path(models_dir) / "perceptron_separable"
run = json.loads((reference / "run.json").read_text(encoding="utf-8"))
checkpoint = torch.load(reference / "checkpoint.pt", weights_only=True)
inputs = np.array(run["artifacts"]["inputs"])  # [N, 2]
labels = np.array(run["artifacts"]["labels"])  # [N], +1 또는 -1
print(f"데이터: {len(inputs)}개의 점, 참조 모델의 최종 가중치 [w1, w2, b] = {checkpoint['state']['weights'].tolist()}")

# %% [markdown]
# ## 1. 학습 규칙 구현하기
#
# 바이어스를 입력에 덧붙인 벡터 $\tilde{x} = (x_1, x_2, 1)$를 씁니다. 잘못 분류된 점 ($y\, w^T \tilde{x} \le 0$)을 만나면
#
# $$w \leftarrow w + \eta\, y\, \tilde{x}$$
#
# 로 고칩니다. `perceptron_epoch`는 한 에포크 동안 모든 점을 한 번씩 보고, 갱신된 가중치와 실수 횟수를 돌려줍니다.

# %%
def perceptron_epoch(weights, augmented_inputs, labels, learning_rate=1.0):
    """한 에포크 동안 퍼셉트론 규칙을 적용하고 (새 가중치, 실수 횟수)를 돌려준다."""
    weights = weights.copy()
    mistakes = 0
    ### BEGIN SOLUTION
    for x, y in zip(augmented_inputs, labels):
        if y * (weights @ x) <= 0:
            weights = weights + learning_rate * y * x
            mistakes += 1
    ### END SOLUTION
    return weights, mistakes


def train_perceptron(inputs, labels, epochs=100):
    augmented = np.hstack([inputs, np.ones((len(inputs), 1))])
    weights = np.zeros(3)
    history = []
    for _ in range(epochs):
        weights, mistakes = perceptron_epoch(weights, augmented, labels)
        history.append(mistakes)
        if mistakes == 0:
            break
    return weights, history

# %% [markdown]
# ## 2. 참조 모델과 같은 데이터에서 수렴하는지 확인하기

# %%
weights, history = train_perceptron(inputs, labels)
augmented = np.hstack([inputs, np.ones((len(inputs), 1))])
accuracy = np.mean(np.sign(augmented @ weights) == labels)
print(f"에포크별 실수: {history}")
print(f"정확도: {accuracy:.0%}")

reference_accuracy = json.loads((reference / "metrics.json").read_text(encoding="utf-8"))["final_accuracy"]
assert accuracy == 1.0, "분리 가능한 데이터에서는 모든 점을 맞혀야 합니다"
assert history[-1] == 0 and reference_accuracy == 1.0
print("확인 완료: 여러분의 퍼셉트론도 참조 모델처럼 수렴했습니다.")

# %%
figure, axis = plt.subplots(figsize=(5, 4.5))
axis.scatter(*inputs[labels > 0].T, label="+1")
axis.scatter(*inputs[labels < 0].T, marker="s", label="-1")
xs = np.linspace(inputs.min(), inputs.max(), 50)
axis.plot(xs, -(weights[0] * xs + weights[2]) / weights[1], color="black", label="내 퍼셉트론")
reference_weights = checkpoint["state"]["weights"].numpy()
axis.plot(xs, -(reference_weights[0] * xs + reference_weights[2]) / reference_weights[1], "--", color="gray",
          label="참조 모델")
axis.set_ylim(inputs.min(), inputs.max())
axis.set_title("결정 경계 비교")
axis.legend()
plt.show()

# %% [markdown]
# ## 3. XOR에서는?
#
# 같은 함수를 XOR의 네 점에 적용해 봅니다. 100 에포크가 지나도 실수가 0이 되지 않아야 합니다.

# %%
xor_inputs = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
xor_labels = np.array([-1, 1, 1, -1], dtype=float)
xor_weights, xor_history = train_perceptron(xor_inputs, xor_labels, epochs=100)
xor_accuracy = np.mean(np.sign(np.hstack([xor_inputs, np.ones((4, 1))]) @ xor_weights) == xor_labels)
print(f"마지막 10 에포크의 실수: {xor_history[-10:]}, 정확도 {xor_accuracy:.0%}")
assert len(xor_history) == 100 and min(xor_history) > 0, "XOR에서는 수렴하지 않아야 합니다"
print("확인 완료: 직선 하나로는 XOR을 나눌 수 없습니다.")

# %% [markdown]
# ## 생각해 볼 질문
#
# 1. 학습률 `learning_rate`를 0.1로 바꾸면 분리 가능한 데이터에서 결과가 달라질까요? (가중치가 0에서 시작할 때를 생각해 보세요.)
# 2. XOR 점 (1, 1)을 없애면 퍼셉트론은 수렴할까요?
