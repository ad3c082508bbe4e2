use serde::Serialize;

/// The state of an INVITE call, named as sngrep names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "state", content = "code")]
pub enum CallState {
    CallSetup,
    Ringing,
    InCall,
    Completed,
    Cancelled,
    Rejected(u16),
    Busy,
    Diverted(u16),
}

impl CallState {
    pub fn label(self) -> String {
        match self {
            CallState::CallSetup => "CALL SETUP".into(),
            CallState::Ringing => "RINGING".into(),
            CallState::InCall => "IN CALL".into(),
            CallState::Completed => "COMPLETED".into(),
            CallState::Cancelled => "CANCELLED".into(),
            CallState::Rejected(code) => format!("REJECTED {code}"),
            CallState::Busy => "BUSY".into(),
            CallState::Diverted(code) => format!("DIVERTED {code}"),
        }
    }

    /// The call is over: hung up, cancelled, refused or sent elsewhere.
    pub fn is_over(self) -> bool {
        !matches!(
            self,
            CallState::CallSetup | CallState::Ringing | CallState::InCall
        )
    }

    /// Short machine name (for filters and JSON).
    pub fn name(self) -> &'static str {
        match self {
            CallState::CallSetup => "call_setup",
            CallState::Ringing => "ringing",
            CallState::InCall => "in_call",
            CallState::Completed => "completed",
            CallState::Cancelled => "cancelled",
            CallState::Rejected(_) => "rejected",
            CallState::Busy => "busy",
            CallState::Diverted(_) => "diverted",
        }
    }

    /// Next state after a request; `None` state means "not an INVITE call yet".
    pub fn after_request(state: Option<CallState>, method: &str) -> Option<CallState> {
        use CallState::*;
        match (method, state) {
            // A new INVITE after an auth challenge starts the setup again.
            ("INVITE", None | Some(Rejected(401 | 407))) => Some(CallSetup),
            ("CANCEL", Some(CallSetup | Ringing)) => Some(Cancelled),
            ("BYE", Some(CallSetup | Ringing | InCall)) => Some(Completed),
            _ => state,
        }
    }

    /// Next state after a response to an INVITE.
    pub fn after_invite_response(state: Option<CallState>, code: u16) -> Option<CallState> {
        use CallState::*;
        let setup = matches!(state, Some(CallSetup | Ringing));
        if !setup {
            return state;
        }
        Some(match code {
            180 | 183 => Ringing,
            100..=199 => state?,
            200..=299 => InCall,
            300..=399 => Diverted(code),
            486 | 600 => Busy,
            487 => Cancelled,
            _ => Rejected(code),
        })
    }
}
