import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_django_setup(**env_overrides: str) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(env_overrides)
    env["DJANGO_SETTINGS_MODULE"] = "casework.settings"
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_mode_refuses_to_start_without_a_secret_key():
    result = run_django_setup()
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_development_mode_starts_without_a_secret_key():
    result = run_django_setup(DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_production_mode_starts_with_a_secret_key():
    result = run_django_setup(SECRET_KEY="kq3-Vd9_tW0zR7uXe2LpN8yHc4jFa1sGm6bTo5iQvZ_UrEx-PwKd")
    assert result.returncode == 0, result.stderr


def test_debug_is_off_unless_asked_for(settings):
    from casework import settings as real

    assert real.env_bool("SOME_UNSET_VARIABLE_FOR_TESTS", False) is False
    assert settings.DEBUG is False


def test_sqlite_under_var_when_no_database_url_is_set():
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DEBUG="true", DJANGO_SETTINGS_MODULE="casework.settings")
    code = (
        "from django.conf import settings; d = settings.DATABASES['default']; "
        "print(d['ENGINE'], d['NAME'])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    engine, name = out.stdout.split()
    assert engine == "django.db.backends.sqlite3"
    assert Path(name).parent.name == "var"


def test_tasks_run_in_process_when_redis_is_not_configured():
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env.update(DEBUG="true", DJANGO_SETTINGS_MODULE="casework.settings")
    code = "from django.conf import settings; print(settings.CELERY_TASK_ALWAYS_EAGER)"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert out.stdout.strip() == "True", out.stderr


def test_casework_runs_its_own_app_config():
    """Its ready() connects the receivers of client changes and starts the scheduler."""
    from django.apps import apps

    from casework.apps import CaseworkConfig

    assert type(apps.get_app_config("casework")) is CaseworkConfig
