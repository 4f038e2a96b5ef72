//! The text of each mail. Plain text: it renders the same in every client, and a link in
//! it is the whole call to action.

use super::Mail;
use crate::branding::ResolvedBrandingView;

fn footer(brand: &ResolvedBrandingView) -> String {
    match (&brand.support_email, &brand.support_url) {
        (Some(e), _) => format!("\n\nQuestions? Write to {e}.\n— {}", brand.product_name),
        (None, Some(u)) => format!("\n\nQuestions? See {u}.\n— {}", brand.product_name),
        _ => format!("\n\n— {}", brand.product_name),
    }
}

fn minutes(secs: i64) -> String {
    if secs % 3600 == 0 {
        let h = secs / 3600;
        format!("{h} hour{}", if h == 1 { "" } else { "s" })
    } else {
        format!("{} minutes", secs / 60)
    }
}

pub fn password_reset(brand: &ResolvedBrandingView, to: &str, link: &str, ttl_secs: i64) -> Mail {
    Mail {
        kind: "password_reset",
        to: to.to_string(),
        subject: format!("Reset your {} password", brand.product_name),
        body_text: format!(
            "Someone asked to reset the password of the {} account {to}.\n\n\
             To choose a new password, open this link within {}:\n{link}\n\n\
             The link works once. Setting a new password signs the account out everywhere.\n\
             If you did not ask for this, ignore this mail: your password stays as it is.{}",
            brand.product_name,
            minutes(ttl_secs),
            footer(brand)
        ),
    }
}

pub fn email_verification(
    brand: &ResolvedBrandingView,
    to: &str,
    link: &str,
    ttl_secs: i64,
) -> Mail {
    Mail {
        kind: "email_verification",
        to: to.to_string(),
        subject: format!("Confirm your email address for {}", brand.product_name),
        body_text: format!(
            "Please confirm that {to} is your address for {}.\n\n\
             Open this link within {}:\n{link}\n\n\
             If you did not sign up, ignore this mail.{}",
            brand.product_name,
            minutes(ttl_secs),
            footer(brand)
        ),
    }
}

pub fn invitation(
    brand: &ResolvedBrandingView,
    to: &str,
    tenant_name: &str,
    role: &str,
    link: &str,
    expires: &str,
) -> Mail {
    Mail {
        kind: "invitation",
        to: to.to_string(),
        subject: format!("You are invited to {tenant_name} on {}", brand.product_name),
        body_text: format!(
            "You are invited to join {tenant_name} on {} as {role}.\n\n\
             To accept, open this link before {expires}:\n{link}\n\n\
             If you do not know {tenant_name}, ignore this mail.{}",
            brand.product_name,
            footer(brand)
        ),
    }
}
