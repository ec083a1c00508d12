"""The integration's SOAP endpoint, called as QBWC calls it: zeep over requests, with the WSDL shipped beside this
module (the Web Connector's interface, SOAP 1.1 document/literal, namespace http://developer.intuit.com/).

A call that fails raises `SoapCallError` with the text QBWC logs after its code. QBWC is a .NET Framework program whose
SOAP client is `SoapHttpClientProtocol`; the texts are that client's:

    the endpoint refuses the connection            Unable to connect to the remote server
    no answer within the timeout                   The operation has timed out
    the connection is closed or reset mid-call     The underlying connection was closed: An unexpected error occurred
                                                   on a receive.
    an HTTP status other than 200 (or 500 + fault) The request failed with HTTP status 404: Not Found.
    an answer that is not text/xml                 Client found response content type of 'text/html', but expected
                                                   'text/xml'.
    an answer that is not XML                      Response is not well-formed XML.
    a SOAP fault                                   its faultstring
    an envelope without the method's answer        There is an error in XML document. (and what was wrong)

ASSUMPTION: the texts are .NET's own (quoted in reports of QBWC1012 "The request was aborted: The connection was
closed unexpectedly.", QBWC1042 "Response is not well-formed XML.", QBWC1012 "... expected text/xml but received
application/xml"); the timeout is `SoapHttpClientProtocol.Timeout`'s default, 100 seconds, and the User-Agent its
default one (QBWC was not seen to set either).
"""

from __future__ import annotations

import http
from pathlib import Path
from typing import Any

import requests
import urllib3.exceptions
from lxml import etree
from zeep import Client, Settings
from zeep.exceptions import Error as ZeepError
from zeep.exceptions import Fault
from zeep.transports import Transport

WSDL = Path(__file__).with_name("QBWebConnectorSvc.wsdl")
NAMESPACE = "http://developer.intuit.com/"
BINDING = f"{{{NAMESPACE}}}QBWebConnectorSvcSoap"
DEFAULT_TIMEOUT = 100.0
USER_AGENT = "Mozilla/4.0 (compatible; MSIE 6.0; MS Web Services Client Protocol 4.0.30319.42000)"
REFUSED = "Unable to connect to the remote server"
TIMED_OUT = "The operation has timed out"
CLOSED = "The underlying connection was closed: An unexpected error occurred on a receive."
NOT_SENT = "The underlying connection was closed: An unexpected error occurred on a send."
NOT_XML = "Response is not well-formed XML."
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


class SoapCallError(Exception):
    """A call to the integration failed; `str(exc)` is what QBWC logs."""


class _Transport(Transport):
    """zeep's transport, checking the answer as .NET's SOAP client does before zeep reads it; keeps what was sent."""

    def __init__(self, timeout: float):
        session = requests.Session()
        session.headers["User-Agent"] = USER_AGENT
        super().__init__(session=session, timeout=timeout, operation_timeout=timeout)
        self.sent: list[bytes] = []

    def post(self, address: str, message: bytes, headers: dict[str, str]) -> requests.Response:
        self.sent.append(message)
        response = super().post(address, message, headers)
        if response.status_code not in (200, 500):
            phrase = response.reason or _phrase(response.status_code)
            raise SoapCallError(f"The request failed with HTTP status {response.status_code}: {phrase}.")
        media_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if media_type != "text/xml":
            raise SoapCallError(f"Client found response content type of '{response.headers.get('Content-Type', '')}', "
                             "but expected 'text/xml'.")
        try:
            etree.fromstring(response.content, _PARSER)
        except etree.XMLSyntaxError:
            raise SoapCallError(NOT_XML) from None
        return response


def _phrase(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def _closed(exc: requests.ConnectionError) -> str:
    """Refused (nothing was sent) or closed mid-call."""
    reason = exc.args[0] if exc.args else None
    reason = getattr(reason, "reason", reason)
    refused = isinstance(reason, urllib3.exceptions.NewConnectionError | ConnectionRefusedError)
    return REFUSED if refused else CLOSED


class Endpoint:
    """The integration's QBWC web service at `url`; `call(method, **values)` returns the method's result."""

    def __init__(self, url: str, timeout: float = DEFAULT_TIMEOUT):
        self.url = url
        self._transport = _Transport(timeout)
        settings = Settings(strict=True, forbid_dtd=True, forbid_entities=True, forbid_external=True)
        self._client = Client(str(WSDL), transport=self._transport, settings=settings)
        self._service = self._client.create_service(BINDING, url)

    @property
    def sent(self) -> list[bytes]:
        """Every SOAP envelope sent, in order."""
        return self._transport.sent

    def call(self, method: str, **values: Any) -> Any:
        """Call `method`; `SoapCallError` with QBWC's text if it cannot be called or its answer cannot be read."""
        try:
            return getattr(self._service, method)(**values)
        except SoapCallError:
            raise
        except requests.Timeout:
            raise SoapCallError(TIMED_OUT) from None
        except requests.ConnectionError as exc:
            raise SoapCallError(_closed(exc)) from None
        except requests.RequestException as exc:
            raise SoapCallError(f"{CLOSED} {exc}") from None
        except Fault as exc:
            raise SoapCallError(str(exc.message or "")) from None
        except (ZeepError, etree.LxmlError, ValueError, TypeError) as exc:
            raise SoapCallError(f"There is an error in XML document. {exc}".strip()) from None

    def close(self) -> None:
        self._transport.session.close()
