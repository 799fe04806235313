"""The portal's account forms: Django's own and sign-up's, with Bootstrap Italia's classes."""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Consent, JoinRequest


class _BootstrapItalia:
    """Gives every input the `form-control` class Bootstrap Italia styles."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"


class SignInForm(_BootstrapItalia, auth_forms.AuthenticationForm):
    pass


class PasswordChangeForm(_BootstrapItalia, auth_forms.PasswordChangeForm):
    pass


class PasswordResetForm(_BootstrapItalia, auth_forms.PasswordResetForm):
    pass


class SetPasswordForm(_BootstrapItalia, auth_forms.SetPasswordForm):
    pass


class SignUpForm(_BootstrapItalia, forms.Form):
    """Self-registration: address, name, password twice, the privacy notice, and a honeypot.

    `website` is hidden from people (and from assistive technology); a bot that fills every
    field fills it, and its sign-up is dropped without saying so.
    """

    email = forms.EmailField(label=_("Indirizzo e-mail"), max_length=150)
    first_name = forms.CharField(label=_("Nome"), max_length=150)
    last_name = forms.CharField(label=_("Cognome"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html,
    )
    password2 = forms.CharField(
        label=_("Ripeti la password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    privacy = forms.BooleanField(
        label=_("Ho letto l’informativa sul trattamento dei dati personali e la accetto"),
    )
    website = forms.CharField(required=False, label=_("Non compilare questo campo"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["privacy"].widget.attrs["class"] = "form-check-input"
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    @property
    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get("website"))

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        try:
            UnicodeUsernameValidator()(email)
        except ValidationError:
            raise ValidationError(
                _("Questo indirizzo contiene caratteri che Reti non accetta in un nome utente."),
                code="invalid",
            ) from None
        return email

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("Le due password non coincidono."))
        elif first:
            candidate = get_user_model()(
                username=cleaned.get("email", ""),
                email=cleaned.get("email", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(first, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class SignUpResendForm(_BootstrapItalia, forms.Form):
    email = forms.EmailField(
        label=_("Indirizzo e-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class SignUpConfirmForm(_BootstrapItalia, forms.Form):
    password = forms.CharField(
        label=_("La password che hai scelto"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class JoinPrefill(forms.Form):
    """`?organisation=<id>` on the join page: the organisation chosen in advance."""

    organisation = forms.IntegerField(min_value=1)


class JoinRequestForm(_BootstrapItalia, forms.Form):
    # The registry's organisations, through the request's relation (accounts does not import
    # the registry: docs/architecture.md).
    organisation = forms.ModelChoiceField(label=_("Organizzazione"), queryset=None)
    role = forms.ChoiceField(
        label=_("Ruolo richiesto"),
        choices=JoinRequest.ROLES,
        help_text=_(
            "Lettura: vedi i dati riservati ai membri. Redazione: aggiorni i dati "
            "dell’organizzazione, dei suoi progetti e dei suoi interventi."
        ),
    )
    message = forms.CharField(
        label=_("Messaggio per chi decide"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Chi sei e perché chiedi di aderire: lo leggono gli amministratori."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = JoinRequest._meta.get_field("organisation").related_model.objects
        self.fields["organisation"].queryset = organisations.order_by("name_it", "id")


class JoinRefusalForm(forms.Form):
    reason = forms.CharField(label=_("Motivo del rifiuto"), max_length=2000)


class SecondFactorCodeForm(_BootstrapItalia, forms.Form):
    """A code of the authenticator app (six digits) or a recovery code."""

    code = forms.CharField(
        label=_("Codice"),
        max_length=20,
        help_text=_("Le sei cifre mostrate dall’app di autenticazione, o un codice di recupero."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


class PasswordConfirmForm(_BootstrapItalia, forms.Form):
    """The account's password, asked again before an action that cannot be undone."""

    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("Ho letto che cosa viene cancellato e che cosa viene conservato, e lo chiedo."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm"].widget.attrs["class"] = "form-check-input"


class ConsentForm(forms.Form):
    """Which purpose a consent is given to (the text is the one shown, `consents.TEXTS`)."""

    purpose = forms.ChoiceField(label=_("Finalità"), choices=Consent.Purpose.choices)
