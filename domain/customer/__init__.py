"""Customer accounts: the Customer aggregate and the EmailClaim that keeps emails unique."""

from domain.customer.aggregate import Customer, customer_stream
from domain.customer.claim import EmailClaim
from domain.customer.commands import ChangePassword, ChangeProfile, EraseCustomer, SignUp
from domain.customer.errors import CustomerErased, EmailTaken, UnknownCustomer
from domain.customer.values import CustomerStatus, email_claim_stream, normalise_email

__all__ = [
    "ChangePassword",
    "ChangeProfile",
    "Customer",
    "CustomerErased",
    "CustomerStatus",
    "EmailClaim",
    "EmailTaken",
    "EraseCustomer",
    "SignUp",
    "UnknownCustomer",
    "customer_stream",
    "email_claim_stream",
    "normalise_email",
]
