"""Domain exceptions that services raise; views and the API map them to 403, 409 or 422."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    status = 422
    default_message = _("The request could not be processed.")

    def __init__(self, message=None, *, code: str = ""):
        self.message = message or self.default_message
        self.code = code or type(self).__name__
        super().__init__(self.code)


class NotAllowed(DomainError):
    status = 403
    default_message = _("You do not have permission to do this.")


class InvalidTransition(DomainError):
    status = 409
    default_message = _("This action is not possible in the record's current state.")


class InvalidInput(DomainError):
    status = 422
    default_message = _("The data sent is not valid.")
