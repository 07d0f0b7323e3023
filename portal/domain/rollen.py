"""The portal's roles, spelled once: their names (as stored and sent), labels and account flags.

Every screen, form, command and rule names a role through ``Rol``; a ``Rol`` is a ``str``, so it
compares equal to the stored name ("administratief") and sets of either mix freely. The account
stores each role as a flag (``Gebruiker.is_administratief`` ...); which flag holds which role is
said here too, and ``Gebruiker.rollen`` reads it from here (models do not import the domain).
"""

from __future__ import annotations

from enum import StrEnum

from portal.models import Gebruiker


class Rol(StrEnum):
    """A role of a portal account; the value is the stored name, ``label`` what users read."""

    label: str
    vlag: str

    ADMINISTRATIEF = "administratief", "Administratief", "is_administratief"
    FINANCIEEL = "financieel", "Financieel", "is_financieel"
    ACCOUNTBEHEER = "accountbeheer", "Accountbeheer", "is_accountbeheerder"

    def __new__(cls, naam: str, label: str, vlag: str) -> Rol:
        rol = str.__new__(cls, naam)
        rol._value_ = naam
        rol.label = label
        rol.vlag = vlag
        return rol


# Every role of a contract (the screens "every role of the contract" may use), in screen order.
ELKE_ROL: tuple[Rol, ...] = tuple(Rol)


def rollen_van(gebruiker: Gebruiker) -> frozenset[Rol]:
    """The roles whose flag is set on the account."""
    return frozenset(rol for rol in Rol if getattr(gebruiker, rol.vlag))


def zet_rollen(gebruiker: Gebruiker, rollen) -> None:
    """Give the account exactly ``rollen`` (role names or ``Rol``): one flag per role."""
    for rol in Rol:
        setattr(gebruiker, rol.vlag, rol in rollen)


def in_volgorde(rollen) -> list[Rol]:
    """The known roles among ``rollen``, in the screens' order; unknown names are dropped."""
    return [rol for rol in Rol if rol in rollen]


def labels(rollen) -> str:
    """'Administratief, Financieel', or 'geen'."""
    return ", ".join(rol.label for rol in in_volgorde(rollen)) or "geen"


# The account asks the domain which of its flags are roles (see the module docstring).
Gebruiker.rollen_van = staticmethod(rollen_van)
