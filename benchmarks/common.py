"""Shared helpers for the side-by-side benchmarks: interleaved timing, medians, a ratio table."""

import os
import platform

import torch

from workloads import interleave, timed  # noqa: F401  (one implementation, shared)


def machine_description():
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return (f"{cpu}, {os.cpu_count()} cores, torch {torch.__version__}, "
            f"{torch.get_num_threads()} threads, python {platform.python_version()}")


def print_table(title, medians, baseline, unit="us"):
    scale = {"us": 1e6, "ms": 1e3}[unit]
    print(f"\n## {title}")
    print(f"| contender | per step ({unit}) | ratio vs {baseline} |")
    print("|---|---|---|")
    base = medians[baseline]
    for name, value in medians.items():
        print(f"| {name} | {value * scale:,.1f} | {value / base:.2f}x |")
