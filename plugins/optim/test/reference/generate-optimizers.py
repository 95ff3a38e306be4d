"""Writes the Rprop and ASGD reference trajectories in optimizers/ (layout: ../../../../../shared/reference/README.md).

Run with Debian's python3-torch (apt-get install python3-torch; PyTorch 1.13.1+dfsg, which reports
1.13.0a0): /usr/bin/python3 generate-optimizers.py. Every case is seeded, so reruns give the same files.
ASGD cases also record `expected_state` (the averaged parameters `ax` after each step), which
the reference test checks when a case has it.
"""
import json
import os

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
SHAPES = {"layer.weight": [4, 3], "layer.bias": [4], "head.weight": [2, 4]}
STEPS = 8

CASES = [
    ("16_Rprop.json", {"type": "Rprop", "lr": 0.01}, {"lr": 0.005}),
    # tight bounds so that the clamp of the step sizes is exercised in both directions
    ("17_Rprop.json", {"type": "Rprop", "lr": 0.02, "etas": [0.3, 1.5], "step_sizes": [0.005, 0.04], "maximize": True}, {"lr": 0.01}),
    ("18_ASGD.json", {"type": "ASGD", "lr": 0.05}, {"lr": 0.025}),
    # t0 inside the run, so the average switches from copying to averaging at step 4
    ("19_ASGD.json", {"type": "ASGD", "lr": 0.05, "lambd": 0.01, "alpha": 0.5, "t0": 3, "weight_decay": 0.01}, {"lr": 0.025, "weight_decay": 0.0}),
]


def values(t):
    return [float(x) for x in t.detach().reshape(-1).tolist()]


def make_case(seed, optimizer, group2):
    torch.manual_seed(seed)
    params = {n: torch.randn(s).requires_grad_() for n, s in SHAPES.items()}
    initial = {n: {"shape": SHAPES[n], "data": values(p)} for n, p in params.items()}
    kwargs = {k: (tuple(v) if isinstance(v, list) else v) for k, v in optimizer.items() if k != "type"}
    groups = [{"params": [params["layer.weight"], params["head.weight"]]}, {"params": [params["layer.bias"]], **group2}]
    opt = getattr(torch.optim, optimizer["type"])(groups, **kwargs)
    grads, expected, expected_state = [], [], []
    for _ in range(STEPS):
        step_grads = {n: torch.randn(s) for n, s in SHAPES.items()}
        for n, p in params.items():
            p.grad = step_grads[n].clone()
        opt.step()
        grads.append({n: values(g) for n, g in step_grads.items()})
        expected.append({n: values(p) for n, p in params.items()})
        if optimizer["type"] == "ASGD":
            expected_state.append({n: {"ax": values(opt.state[p]["ax"])} for n, p in params.items()})
    case = {
        "source": f"PyTorch {torch.__version__}",
        "optimizer": optimizer,
        "param_groups": [{"params": ["layer.weight", "head.weight"]}, {"params": ["layer.bias"], **group2}],
        "params": initial,
        "grads": grads,
        "expected": expected,
    }
    if expected_state:
        case["expected_state"] = expected_state
    return case


for i, (name, optimizer, group2) in enumerate(CASES):
    with open(os.path.join(HERE, "optimizers", name), "w") as f:
        json.dump(make_case(1000 + i, optimizer, group2), f)
    print("wrote", name)
