"""Turn the browser tests' screenshots into ``docs/demo.mp4`` and ``docs/demo.gif``.

    python tests/bench/make_demo.py [--input test-results/e2e] [--out docs] [--seconds 1.6]

The e2e tests (``make e2e``) leave PNG screenshots in ``test-results/e2e/``; their file names
sort in story order (upload → live progress → review → finalize → export). Each becomes a still
of ``--seconds``, letterboxed onto one frame size, encoded with ffmpeg (Debian ``ffmpeg``) as an
H.264 MP4 and as a GIF with a palette computed from the frames (small and sharp).
Exit status 2 when there are no screenshots, 1 when ffmpeg is missing or fails.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
WIDTH, HEIGHT = 1280, 900  # the e2e viewport; taller full-page shots are letterboxed
GIF_WIDTH = 960


def concat_list(images: list[Path], seconds: float) -> str:
    lines = ["ffconcat version 1.0"]
    for image in images:
        lines += [f"file '{image.resolve()}'", f"duration {seconds}"]
    lines.append(f"file '{images[-1].resolve()}'")  # the concat demuxer ignores the last duration
    return "\n".join(lines) + "\n"


def run(argv: list[str]) -> None:
    result = subprocess.run(argv, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[:4])} … failed:\n{result.stderr[-2000:]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--input", type=Path, default=REPO / "test-results" / "e2e")
    parser.add_argument("--out", type=Path, default=REPO / "docs")
    parser.add_argument("--seconds", type=float, default=1.6, help="time on each screenshot")
    args = parser.parse_args(argv)

    images = sorted(args.input.glob("*.png"))
    if not images:
        print(f"no screenshots in {args.input}: run the browser tests first (make e2e)")
        return 2
    ffmpeg = shutil.which("ffmpeg")
    if not ffmpeg:
        print("ffmpeg is not installed (Debian: apt-get install -y ffmpeg)")
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    mp4, gif = args.out / "demo.mp4", args.out / "demo.gif"
    frame = (
        f"scale={WIDTH}:{HEIGHT}:force_original_aspect_ratio=decrease,"
        f"pad={WIDTH}:{HEIGHT}:(ow-iw)/2:(oh-ih)/2:color=white,setsar=1"
    )
    with tempfile.TemporaryDirectory() as tmp:
        listing = Path(tmp) / "frames.txt"
        listing.write_text(concat_list(images, args.seconds))
        try:
            run(
                [
                    ffmpeg,
                    "-y",
                    "-loglevel",
                    "error",
                    "-f",
                    "concat",
                    "-safe",
                    "0",
                    "-i",
                    str(listing),
                    "-vf",
                    f"{frame},fps=10,format=yuv420p",
                    "-c:v",
                    "libx264",
                    "-preset",
                    "medium",
                    "-crf",
                    "23",
                    "-movflags",
                    "+faststart",
                    str(mp4),
                ]
            )
            run(
                [
                    ffmpeg,
                    "-y",
                    "-loglevel",
                    "error",
                    "-i",
                    str(mp4),
                    "-vf",
                    f"fps=5,scale={GIF_WIDTH}:-1:flags=lanczos,split[a][b];"
                    "[a]palettegen=stats_mode=diff[p];[b][p]paletteuse=dither=bayer:bayer_scale=4",
                    "-loop",
                    "0",
                    str(gif),
                ]
            )
        except RuntimeError as error:
            print(error)
            return 1
    for path in (mp4, gif):
        print(
            f"{path.relative_to(REPO) if path.is_relative_to(REPO) else path}: "
            f"{path.stat().st_size / 1024:.0f} KiB"
        )
    print(f"{len(images)} screenshots, {args.seconds} s each")
    return 0


if __name__ == "__main__":
    sys.exit(main())
