"""The many-GPU preset's machinery on CPU: two torchrun ranks (gloo) must train like one
process with the whole batch, agree with each other, and resume exactly."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

import ddp_worker
from trm.train import rank_device

WORKER = Path(ddp_worker.__file__)


def torchrun(run_dir: Path, steps: int, out: Path):
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    env.pop("WORLD_SIZE", None)
    r = subprocess.run([sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2",
                        str(WORKER), str(run_dir), str(steps), str(out)], env=env, capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    return [torch.load(out.with_suffix(f".rank{k}.pt")) for k in range(2)]


def test_two_ranks_train_like_one_process_and_resume_exactly(tmp_path):
    # 6 steps: every slot halts at step 4 and takes new data, so the split of new examples
    # between ranks and the summed sample count are exercised too.
    whole = torchrun(tmp_path / "a", 6, tmp_path / "a.out")
    assert whole[0]["samples"] == whole[1]["samples"] == 2 * ddp_worker.BATCH
    for k, v in whole[0]["model"].items():
        assert torch.equal(v, whole[1]["model"][k]), f"ranks disagree on {k}"

    one = ddp_worker.make(tmp_path / "one")
    one.train(max_steps=6, quiet=True)
    assert one.samples == 2 * ddp_worker.BATCH
    for k, v in one.model.state_dict().items():
        torch.testing.assert_close(whole[0]["model"][k], v, rtol=1e-4, atol=1e-5, msg=f"DDP vs one process: {k}")

    torchrun(tmp_path / "b", 3, tmp_path / "b3.out")
    resumed = torchrun(tmp_path / "b", 6, tmp_path / "b6.out")
    assert resumed[0]["step"] == 6
    for r in range(2):
        for k, v in whole[r]["model"].items():
            assert torch.equal(v, resumed[r]["model"][k]), f"rank {r} after resume: {k}"
        for k, v in whole[r]["ema"].items():
            assert torch.equal(v, resumed[r]["ema"][k]), f"rank {r} EMA after resume: {k}"

    single = ddp_worker.make(tmp_path / "b")
    with pytest.raises(ValueError, match="written by 2 process"):
        single.try_resume()


def test_each_rank_takes_the_gpu_of_its_local_rank():
    cuda, cpu = torch.device("cuda"), torch.device("cpu")
    assert rank_device(cuda, 4, 3) == torch.device("cuda", 3)
    # One process keeps a bare "cuda" (torch.cuda.set_device would refuse it) ...
    assert rank_device(cuda, 1, 0) == cuda and rank_device(cuda, 1, 0).index is None
    # ... and an explicit index or the CPU are left alone.
    assert rank_device(torch.device("cuda", 1), 4, 3) == torch.device("cuda", 1)
    assert rank_device(cpu, 2, 1) == cpu
