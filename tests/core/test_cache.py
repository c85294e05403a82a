"""core.cache.RedisCache: Django's Redis backend with one reused client object per pool."""

import pytest

REDIS = "redis://127.0.0.1:6379/15"


@pytest.fixture
def redis_cache():
    import redis

    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"needs a Redis server at {REDIS}")
    from core.cache import RedisCache

    cache = RedisCache(REDIS, {"KEY_PREFIX": "fazhi-test-cache"})
    yield cache
    cache.delete_many(["a", "n", "gone"])
    cache.close()


def test_reuses_one_client_and_behaves_like_djangos_backend(redis_cache):
    client = redis_cache._cache.get_client(write=True)
    assert redis_cache._cache.get_client() is client  # one server: reads and writes share a pool
    redis_cache.set("a", {"x": [1, 2]}, 30)
    assert redis_cache.get("a") == {"x": [1, 2]}
    assert redis_cache.add("n", 1, 30) and not redis_cache.add("n", 5, 30)
    assert redis_cache.incr("n") == 2
    redis_cache.set("gone", 1, 30)
    redis_cache.delete("gone")
    assert redis_cache.get("gone", "default") == "default"
    assert redis_cache._cache.get_client(write=True) is client
