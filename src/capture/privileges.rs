//! Giving up root once the capture handles are open: packets come from the
//! network, and the code that parses them should not run as root.

use std::ffi::CString;

#[derive(Debug, thiserror::Error)]
pub enum PrivilegeError {
    #[error("no user named {0:?} to run as")]
    NoUser(String),
    #[error("cannot switch to user {user:?}: {source}")]
    Switch {
        user: String,
        #[source]
        source: std::io::Error,
    },
}

/// When running as root, switches to `user` (or `nobody` when it exists and
/// none is given). Returns the user switched to, `None` when not root or
/// when no user is available.
pub fn drop_root(user: Option<&str>) -> Result<Option<String>, PrivilegeError> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return Ok(None);
    }
    let name = user.unwrap_or("nobody");
    let c_name = CString::new(name).map_err(|_| PrivilegeError::NoUser(name.to_owned()))?;
    // SAFETY: c_name is a valid NUL-terminated string; getpwnam returns a
    // pointer to static storage or null, read before any other pw call.
    let pw = unsafe { libc::getpwnam(c_name.as_ptr()) };
    if pw.is_null() {
        return match user {
            Some(u) => Err(PrivilegeError::NoUser(u.to_owned())),
            None => Ok(None),
        };
    }
    // SAFETY: pw is non-null and points to a valid passwd record.
    let (uid, gid) = unsafe { ((*pw).pw_uid, (*pw).pw_gid) };
    let fail = |user: &str| PrivilegeError::Switch {
        user: user.to_owned(),
        source: std::io::Error::last_os_error(),
    };
    // SAFETY: plain system calls with valid arguments; the order (groups,
    // gid, then uid) is the one that can still succeed.
    unsafe {
        if libc::setgroups(1, &gid) != 0 {
            return Err(fail(name));
        }
        if libc::setgid(gid) != 0 {
            return Err(fail(name));
        }
        if libc::setuid(uid) != 0 {
            return Err(fail(name));
        }
    }
    Ok(Some(name.to_owned()))
}
