//! Transform `utcnow-to-aware`: placeholder until implemented.

use crate::context::FileContext;
use crate::finding::Finding;
use crate::transforms::Transform;

pub struct ThisTransform;
pub static TRANSFORM: ThisTransform = ThisTransform;

impl Transform for ThisTransform {
    fn id(&self) -> &'static str {
        "utcnow-to-aware"
    }

    fn triggers(&self) -> &'static [&'static str] {
        &[]
    }

    fn check(&self, _ctx: &FileContext) -> Vec<Finding> {
        Vec::new()
    }
}
