"""Property tests that survive a busy machine: the profile conftest loads has no deadline and does
not fail on slow data generation, and CI's runs the same examples every time."""

from __future__ import annotations

from hypothesis import HealthCheck, settings


def test_the_loaded_profile_has_no_deadline_and_tolerates_slow_generation():
    assert settings.default.deadline is None
    assert HealthCheck.too_slow in settings.default.suppress_health_check


def test_the_ci_profile_is_deterministic_and_remembers_nothing():
    ci = settings.get_profile("ci")
    assert ci.deadline is None and ci.derandomize and ci.database is None
    assert HealthCheck.too_slow in ci.suppress_health_check


def test_settings_a_test_gives_itself_inherit_no_deadline():
    # as tests/test_metrics.py's PROPERTY = settings(max_examples=100)
    assert settings(max_examples=3).deadline is None
