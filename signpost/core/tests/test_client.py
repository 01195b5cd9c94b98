from django.test import RequestFactory, override_settings

from signpost.core.client import client_address


def request(**meta):
    return RequestFactory().get("/", **meta)


def test_without_trusted_proxies_the_socket_address_counts():
    assert (
        client_address(request(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4"))
        == "10.0.0.5"
    )


@override_settings(TRUSTED_PROXY_HOPS=1)
def test_one_proxy_takes_the_last_forwarded_entry_never_the_first():
    forged = request(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    assert client_address(forged) == "203.0.113.7"


@override_settings(TRUSTED_PROXY_HOPS=2)
def test_two_proxies():
    chain = request(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7, 10.0.0.4")
    assert client_address(chain) == "203.0.113.7"


@override_settings(TRUSTED_PROXY_HOPS=1)
def test_garbage_is_ignored():
    assert client_address(request(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="nonsense")) is None
    assert client_address(request(REMOTE_ADDR="10.0.0.5")) == "10.0.0.5"
