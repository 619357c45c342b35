# Paperlane API, worker, sweeper and migrations (one image, the command picks the role).
# Build: docker compose build   (or: docker build -t paperlane .)
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# OCR for scanned invoices (PyMuPDF calls the tesseract binary).
RUN apt-get update \
 && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-eng tesseract-ocr-deu \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin paperlane \
 && mkdir -p /data/files \
 && chown -R paperlane:paperlane /data

WORKDIR /app

# Dependencies first, from empty packages, so that code changes reuse this layer.
COPY pyproject.toml README.md LICENSE ./
RUN mkdir -p api schema worker db \
 && touch api/__init__.py schema/__init__.py worker/__init__.py db/__init__.py \
 && pip install . \
 && rm -rf api schema worker db build *.egg-info

COPY api ./api
COPY schema ./schema
COPY worker ./worker
COPY db ./db
RUN pip install --no-deps . && rm -rf build *.egg-info

USER paperlane
ENV PAPERLANE_DATA_DIR=/data \
    PAPERLANE_STORAGE_DIR=/data/files
EXPOSE 8000
CMD ["paperlane", "api", "--host", "0.0.0.0", "--port", "8000"]
