"""Flask extensions, created once and attached to the app in the factory."""

from typing import TYPE_CHECKING, ClassVar

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import Table
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """Declarative base for all models."""


db = SQLAlchemy(model_class=Base)

if TYPE_CHECKING:
    # A type checker cannot subclass ``db.Model``, a class made at run time; to it the models
    # are what ``db.Model`` is built from: the declarative ``Base``.
    class Model(Base):
        """The models' base class as the type checker sees it."""

        __abstract__ = True
        # Every model maps one table (SQLAlchemy types it as any FROM clause).
        __table__: ClassVar[Table]
else:
    Model = db.Model

migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
# Storage comes from RATELIMIT_STORAGE_URI: memory:// for the one-process default,
# redis:// in production so all workers share the counters.
limiter = Limiter(key_func=get_remote_address, default_limits=[])
