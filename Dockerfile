# One image for the scheduler and the dashboard (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    STREAMLIT_BROWSER_GATHER_USAGE_STATS=false \
    PRAW_CHECK_FOR_UPDATES=False

RUN useradd --create-home --uid 10001 merkwacht
WORKDIR /app
COPY pyproject.toml README.md LICENSE ./
COPY merkwacht ./merkwacht
RUN pip install . && pip check

USER merkwacht
WORKDIR /home/merkwacht
EXPOSE 8501
# Upgrades the database, then runs the given command (scheduler or dashboard).
ENTRYPOINT ["sh", "-c", "merkwacht init && exec merkwacht \"$@\"", "--"]
CMD ["schedule"]
