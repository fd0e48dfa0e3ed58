//! `remedy branch`: one reviewable git branch per transform, built in the object database.
//! (Implemented by the branch work; this placeholder refuses clearly.)

use crate::Io;
use crate::cli::BranchArgs;
use crate::error::RemedyError;

pub fn run(_args: &BranchArgs, _io: &mut Io) -> Result<i32, RemedyError> {
    Err(RemedyError::Usage(
        "`remedy branch` is not implemented yet".to_string(),
    ))
}
