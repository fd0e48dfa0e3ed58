# Secret words in names of templates, forms and texts, and defaults that are relative file
# paths, are not secrets (from Django's own admin: `self.change_user_password_template or
# "admin/auth/user/change_password.html"` once got a "required" guard that broke the page).
# Expected: no findings. The last line is still a secret.
import os


class UserAdmin:
    change_user_password_template = None

    def user_change_password(self, request, context):
        return render(
            request,
            self.change_user_password_template
            or "admin/auth/user/change_password.html",
            context,
        )


def reset_email(password_reset_text=None, token_error_message=None):
    body = password_reset_text or "Follow the link to reset your password."
    error = token_error_message or "The reset link is invalid."
    return body, error


JWT_PRIVATE_KEY = os.getenv("JWT_PRIVATE_KEY", "keys/jwt_private.pem")
PASSWORD_CHARS = os.getenv("PASSWORD_CHARS", "abcdefghjkmnpqrstuvwxyz23456789")
RESET_TOKEN = os.getenv("RESET_TOKEN", "reset-dev-token")
