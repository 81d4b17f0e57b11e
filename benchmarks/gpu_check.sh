#!/usr/bin/env bash
# The GPU check for a lent GPU machine (under 8 minutes): the test suite's CUDA-marked tests, then
# the GPU training benchmarks (CNN and LSTM: kerasish vs a torch loop vs Keras 3 on torch), and the
# transformer encoder benchmark with a profile showing the fused SDPA kernel (issue 16), and
# keras.distribution: DDP against fully sharded, memory per rank and step time (issue 19).
# Results go to $OUT when it is set (pytest log, benchmark tables and JSON), else to ./gpu_check_out.
#
# Usage: bash benchmarks/gpu_check.sh          (on the GPU machine)
#        bash benchmarks/gpu_check.sh cpu      (smoke test of the script on a CPU machine)
set -u
DEVICE="${1:-cuda}"
cd "$(dirname "$0")/.."
OUT_DIR="${OUT:-gpu_check_out}"
mkdir -p "$OUT_DIR"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-4}"
status=0

nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv 2>&1 | tee "$OUT_DIR/nvidia_smi.txt"
python -c "import torch; print('torch', torch.__version__, 'cuda', torch.version.cuda, 'available', torch.cuda.is_available())" \
    2>&1 | tee "$OUT_DIR/torch_cuda.txt"

# tests/conftest.py hides CUDA unless KERASISH_TEST_CUDA=1; -rs lists anything skipped, so a test
# that did not see the GPU shows up in the log instead of passing silently.
if [ "$DEVICE" = "cpu" ]; then
    python benchmarks/bench_gpu.py --device cpu --steps 2 --rounds 1 --no-keras --out "$OUT_DIR" \
        || status=1
    python benchmarks/bench_attention.py --device cpu --quick --rounds 1 --no-keras --profile \
        > "$OUT_DIR/bench_attention.txt" 2>&1 || status=1
    exit $status
fi

echo "== CUDA-marked tests"
KERASISH_TEST_CUDA=1 timeout 240 python -m pytest -q -rs -m cuda -p no:cacheprovider tests \
    2>&1 | tee "$OUT_DIR/pytest_cuda.txt"
test "${PIPESTATUS[0]}" -eq 0 || status=1
if grep -q "skipped" "$OUT_DIR/pytest_cuda.txt"; then
    echo "CUDA-marked tests were skipped: the GPU was not visible to them" | tee -a "$OUT_DIR/pytest_cuda.txt"
    status=1
fi

echo "== GPU benchmarks"
timeout 300 python benchmarks/bench_gpu.py --device cuda --steps 50 --rounds 5 --out "$OUT_DIR" \
    2>&1 | tee "$OUT_DIR/bench_gpu.txt"
test "${PIPESTATUS[0]}" -eq 0 || status=1

# Issue 16: the encoder block's step against the torch SDPA loop and Keras 3; --profile fails
# unless a fused (flash / memory-efficient / cuDNN) attention kernel is among the CUDA kernels.
echo "== attention benchmark (SDPA kernel profile)"
timeout 240 python benchmarks/bench_attention.py --device cuda --rounds 5 --profile \
    2>&1 | tee "$OUT_DIR/bench_attention.txt"
test "${PIPESTATUS[0]}" -eq 0 || status=1

# Issue 19: keras.distribution, DDP against DataParallel(fully_shard=True). NCCL takes one GPU per
# process: with 2+ GPUs the benchmark runs 2 processes; on one GPU it runs one (the same script
# on CUDA, no split), and the 2-process tests run on the CPUs (gloo).
echo "== keras.distribution benchmark and tests"
NGPU=$(python -c "import torch; print(torch.cuda.device_count())")
NPROC=1
if [ "${NGPU:-0}" -ge 2 ]; then NPROC=2; fi
timeout 180 python benchmarks/bench_distribution.py --device cuda --nproc "$NPROC" --units 4096 \
    --layers 8 --steps 20 --threads 4 2>&1 | tee "$OUT_DIR/bench_distribution.txt"
test "${PIPESTATUS[0]}" -eq 0 || status=1
timeout 180 python -m pytest -q -p no:cacheprovider tests/distribution \
    2>&1 | tee "$OUT_DIR/pytest_distribution.txt"
test "${PIPESTATUS[0]}" -eq 0 || status=1
exit $status
