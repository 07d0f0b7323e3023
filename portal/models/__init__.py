"""The data model of the portal, split by area; import from here."""

from portal.models.aanmelden import AanmeldConcept, NummerReeks
from portal.models.audit import AuditLog
from portal.models.bericht import Bericht, BerichtGelezen
from portal.models.borderel import Borderel, BorderelRegel, Factuur
from portal.models.contact import AccountAanvraag, ContactVraag
from portal.models.contract import (
    Contactpersoon,
    Contract,
    ContractProduct,
    Organisatie,
    Product,
    ProductTarief,
)
from portal.models.gebruiker import (
    ApiCredential,
    AuthSession,
    Gebruiker,
    LoginState,
    gebruiker_contract,
)
from portal.models.melding import Melding, Upload, UploadRegel
from portal.models.persoon import Deelname, Persoon, Polis, PolisProduct, PolisVerzending

__all__ = [
    "AanmeldConcept",
    "AccountAanvraag",
    "ApiCredential",
    "AuditLog",
    "AuthSession",
    "Bericht",
    "BerichtGelezen",
    "Borderel",
    "BorderelRegel",
    "Contactpersoon",
    "ContactVraag",
    "Contract",
    "ContractProduct",
    "Deelname",
    "Factuur",
    "Gebruiker",
    "LoginState",
    "Melding",
    "NummerReeks",
    "Organisatie",
    "Persoon",
    "Polis",
    "PolisProduct",
    "PolisVerzending",
    "Product",
    "ProductTarief",
    "Upload",
    "UploadRegel",
    "gebruiker_contract",
]
