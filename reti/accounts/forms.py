"""The portal's account forms: Django's own, with Bootstrap Italia's input classes."""

from django.contrib.auth import forms as auth_forms


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
