"""The one Settings object, shared by the API, the worker, the sweeper and the CLI.

Every value comes from an environment variable with the ``PAPERLANE_`` prefix (or a ``.env`` file).
``database_url`` and ``redis_url`` left unset mean "start the embedded servers" (see
``api.cli.embedded``); set them to use servers of your own.
"""

from __future__ import annotations

from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

MiB = 1024 * 1024


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PAPERLANE_", env_file=".env", extra="ignore")

    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL (postgresql+asyncpg://…). Unset: embedded PostgreSQL.",
    )
    redis_url: str | None = Field(
        default=None, description="Redis URL for the broker and Pub/Sub. Unset: embedded Redis."
    )
    data_dir: Path = Field(
        default=Path(".paperlane"),
        description="Folder for the embedded servers' data and, by default, stored files.",
    )
    storage_dir: Path | None = Field(
        default=None, description="Where uploaded files are stored. Default: <data_dir>/files."
    )
    storage_url: str | None = Field(
        default=None,
        description="Where uploaded files are stored, as a URL: `file:///path` or "
        "`s3://bucket/prefix` (an S3-compatible object store, see the S3 settings). Unset: "
        "PAPERLANE_STORAGE_DIR. Several machines need an object store.",
    )
    s3_endpoint_url: str | None = Field(
        default=None,
        description="S3 endpoint for an S3-compatible store (MinIO: http://minio:9000). "
        "Unset: AWS S3.",
    )
    s3_region: str | None = Field(default=None, description="S3 region (e.g. us-east-1).")
    s3_access_key_id: str | None = Field(
        default=None, description="S3 access key id. Unset: the AWS default credential chain."
    )
    s3_secret_access_key: SecretStr | None = Field(
        default=None, description="S3 secret access key."
    )
    max_upload_bytes: int = Field(default=50 * MiB, description="Largest accepted file, in bytes.")
    max_files_per_upload: int = Field(
        default=100,
        ge=1,
        le=1000,  # the upload's rows go in one INSERT: 1,000 × 11 parameters stays below 32,767
        description="Most files in one upload call (1..1000).",
    )
    max_request_bytes: int = Field(
        default=256 * MiB,
        description="Largest request body (all files of an upload together); above: 413.",
    )
    events_channel: str = Field(
        default="paperlane:job-events", description="Redis Pub/Sub channel for job events."
    )
    max_attempts: int = Field(
        default=3, description="Attempts per job before the sweeper fails it (WORKER_LOST)."
    )
    lease_seconds: int = Field(
        default=60, description="A PROCESSING job whose lease is this old is reclaimed."
    )
    heartbeat_seconds: float = Field(
        default=10.0, description="How often a running task renews its lease."
    )
    queued_grace_seconds: int = Field(
        default=30, description="A job QUEUED this long without a claim is enqueued again."
    )
    sweep_interval_seconds: float = Field(default=10.0, description="Sweeper period.")
    task_soft_time_limit: int = Field(default=240, description="Celery soft time limit (s).")
    jobs_per_task: int = Field(
        default=8,
        ge=1,
        le=100,
        description="Most jobs one Celery task carries (an upload of many files is sent as "
        "fewer tasks: Celery costs a worker ~1.7 ms of CPU per task). A task starts its next "
        "job only within the first tenth of its soft time limit and re-enqueues the rest.",
    )
    task_time_limit: int = Field(default=300, description="Celery hard time limit (s).")
    broker_visibility_timeout: int = Field(
        default=3600, description="Redis broker visibility timeout (s); above the time limits."
    )
    subscriber_queue_size: int = Field(
        default=1000, description="Events buffered per live subscriber before it is closed."
    )
    max_subscriptions_per_connection: int = Field(
        default=20, description="GraphQL subscriptions one WebSocket may hold."
    )
    keepalive_seconds: float = Field(
        default=15.0,
        description="Ping interval for idle GraphQL WebSocket connections (graphql-transport-ws: "
        "no ping in an interval in which subscription frames went out; graphql-ws: `ka` every "
        "interval).",
    )
    cors_origins: list[str] = Field(
        default=["http://localhost:3000", "http://127.0.0.1:3000"],
        description="Browser origins allowed to call the API.",
    )
    upload_rate_limit_per_actor: int = Field(
        default=120,
        description="Upload calls one signed-in user or token may make per upload rate window "
        "(0: no limit); above: 429 RATE_LIMITED with Retry-After.",
    )
    upload_rate_limit_per_address: int = Field(
        default=300,
        description="Upload calls one client address may make per upload rate window (0: no "
        "limit).",
    )
    upload_rate_window_seconds: float = Field(
        default=60.0, description="Length of the upload rate-limit window (s)."
    )
    max_pages: int = Field(
        default=200,
        ge=1,
        description="Most pages one document may have; above: the job FAILS with TOO_MANY_PAGES "
        "before any page is read or rendered.",
    )
    max_indexed_text_chars: int = Field(
        default=200_000,
        ge=0,
        le=260_000,
        description="Characters of a document's text (from its start) put into the search index. "
        "PostgreSQL refuses a tsvector over 1 MB; 260,000 characters of 4-byte UTF-8 stay "
        "below it. The full text is still stored.",
    )
    worker_max_memory_mib: int = Field(
        default=768,
        ge=0,
        description="Resident memory ceiling of one worker pool child (MiB, 0: none). A job "
        "pushing a child above it FAILS with RESOURCE_LIMIT and the child is replaced; a child "
        "left above it after a task is recycled (Celery worker_max_memory_per_child).",
    )
    worker_address_space_headroom_mib: int = Field(
        default=768,
        ge=0,
        description="Address space a pool child may add to what it maps at start (MiB, 0: no "
        "RLIMIT_AS). Catches one huge allocation at once, before it can touch memory.",
    )
    env: Literal["development", "production"] = Field(
        default="development",
        description="`production`: no development admin, GraphiQL/introspection off, the secret "
        "key is required and session cookies are always Secure.",
    )
    secret_key: SecretStr | None = Field(
        default=None,
        description="Server secret (at least 32 characters): the HMAC key under which session "
        "cookies and API tokens are hashed before storage (a pepper). Required in production; "
        "in development a random one is kept in <data_dir>/secret-key.",
    )
    allowed_hosts: list[str] = Field(
        default=["localhost", "127.0.0.1", "[::1]", "testserver"],
        description="Host header values served (JSON list, port ignored; `*` allows any); "
        "others: 400 INVALID_HOST (DNS rebinding).",
    )
    session_hours: float = Field(
        default=12.0, gt=0, description="Lifetime of a web sign-in session (hours)."
    )
    graphiql: bool | None = Field(
        default=None,
        description="Serve GraphiQL and allow introspection. Unset: on in development, off in "
        "production.",
    )
    auth_recheck_seconds: float = Field(
        default=3.0,
        gt=0,
        description="How often an open WebSocket or SSE stream re-checks that its token or "
        "session is still valid (revoked or disabled: closed).",
    )
    login_failures_per_account: int = Field(
        default=5, ge=0, description="Failed sign-ins per email per login window (0: no limit)."
    )
    login_failures_per_address: int = Field(
        default=20, ge=0, description="Failed sign-ins per client address per login window."
    )
    login_window_seconds: float = Field(
        default=900.0, gt=0, description="Length of the sign-in throttling window (s)."
    )
    review_confidence_threshold: float = Field(
        default=0.8,
        ge=0,
        le=1,
        description="Fields extracted with less confidence than this are marked for attention "
        "in the review screen (GraphQL `reviewSettings`).",
    )
    review_queue_poll_seconds: float = Field(
        default=1.0,
        gt=0,
        le=60,
        description="How often an API process with `reviewQueueLength` subscribers counts the "
        "review queue (one count per process, shared by all of them; a change is pushed).",
    )
    straight_through: Literal["off", "xml", "all"] = Field(
        default="off",
        description="Straight-through processing: `xml` finalizes by itself a document read "
        "from e-invoice XML whose checks hold; `all` also a text/OCR one whose every field is "
        "at least PAPERLANE_STRAIGHT_THROUGH_THRESHOLD confident; `off`: a person finalizes.",
    )
    straight_through_threshold: float = Field(
        default=0.95,
        ge=0,
        le=1,
        description="The confidence every field of a text/OCR document needs for `all`.",
    )
    max_json_body_bytes: int = Field(
        default=256 * 1024,
        ge=1024,
        description="Largest request body that is not a multipart upload (GraphQL queries, JSON "
        "bodies), checked before any parsing (comments included); above: 413 "
        "REQUEST_TOO_LARGE.",
    )
    graphql_max_cost: int = Field(
        default=1000,
        ge=1,
        description="Most cost one GraphQL operation may have: 1 per selected field (aliases and "
        "fragments counted each time they are used), 100 per `rawText`; above: "
        "QUERY_TOO_COSTLY before execution.",
    )
    graphql_raw_text_max_chars: int = Field(
        default=1_000_000,
        ge=1,
        description="Most characters one `rawText` field returns (its `limit` argument's "
        "default and maximum); page with `offset` for more.",
    )
    graphql_raw_text_budget_chars: int = Field(
        default=4_000_000,
        ge=1,
        description="Most `rawText` characters one GraphQL request returns in all; a field past "
        "it is an error RESPONSE_TOO_LARGE.",
    )
    graphql_max_response_bytes: int = Field(
        default=32 * 1024 * 1024,
        ge=1024,
        description="Largest GraphQL response body; a bigger result is replaced by an error "
        "RESPONSE_TOO_LARGE.",
    )
    max_replay_events: int = Field(
        default=1000,
        ge=1,
        description="Most stored events a subscription replays after its afterEventId / "
        "Last-Event-ID; an older resume point is refused with RESUME_POINT_TOO_OLD naming the "
        "oldest resumable id.",
    )
    body_idle_timeout_seconds: float = Field(
        default=10.0,
        ge=0,
        description="Longest pause while a request body arrives, and the grace period before "
        "PAPERLANE_BODY_MIN_RATE_BYTES applies; slower: 408 REQUEST_TIMEOUT (0: no limit).",
    )
    body_min_rate_bytes: int = Field(
        default=1024,
        ge=0,
        description="Slowest average rate (bytes/s) at which a request body may arrive after the "
        "grace period.",
    )
    api_keep_alive_seconds: int = Field(
        default=5, ge=1, description="uvicorn: idle keep-alive connections close after this (s)."
    )
    api_limit_concurrency: int = Field(
        default=1000,
        ge=1,
        description="uvicorn: most connections and tasks at once per API process; above: 503.",
    )
    api_max_header_bytes: int = Field(
        default=16 * 1024,
        ge=1024,
        description="uvicorn (h11): largest request line and headers; above: 400.",
    )
    log_level: str = Field(default="INFO", description="Python log level.")

    @property
    def lease(self) -> timedelta:
        return timedelta(seconds=self.lease_seconds)

    @property
    def files_dir(self) -> Path:
        return self.storage_dir or self.data_dir / "files"

    @property
    def production(self) -> bool:
        return self.env == "production"

    @property
    def graphiql_enabled(self) -> bool:
        return self.graphiql if self.graphiql is not None else not self.production


@lru_cache
def get_settings() -> Settings:
    return Settings()
