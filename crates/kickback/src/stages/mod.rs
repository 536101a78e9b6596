//! The stages of the engine, in the order a grid point passes them:
//!
//! 1. [`input`]: checks each sample (finite, time going forward, gyroscope
//!    present or not), keeps the stream's figures, spots gaps;
//! 2. [`grid`]: interpolates the samples onto the uniform 100 Hz grid;
//! 3. [`attitude`]: gravity-up in the sensor frame (gyroscope fusion, or a
//!    pendulum model of the leg without one);
//! 4. [`stillness`]: whether the leg is still, and the last pose it held;
//! 5. [`rest_pose`]: the rest pose and the kick's axis, giving a signed
//!    elevation;
//! 6. [`kinematics`]: elevation rate, rate about the axis, linear
//!    acceleration: one [`kinematics::Point`];
//! 7. [`history`]: the bounded past of points a rep is measured from;
//! 8. [`rise`]: the rise detector (`Idle → Rising → Falling`), and
//!    [`hold`]: a rise set aside as a new pose, watched in case it was a
//!    long hold that comes back;
//! 9. [`measure`]: a finished rise measured as a rep;
//! 10. [`gait`]: the gate that tells steps of walking from reps, and holds
//!     a rep back until the next rise shows whether walking goes on;
//! 11. [`sets`]: rep numbers, faults and sets.
//!
//! Each stage owns its state and its tuning constants and returns what
//! happened; only the orchestrator ([`crate::pipeline::Pipeline`]) acts
//! across stages. [`warnings`] is where every stage's warnings go.

pub(crate) mod attitude;
pub(crate) mod gait;
pub(crate) mod grid;
pub(crate) mod history;
pub(crate) mod hold;
pub(crate) mod input;
pub(crate) mod kinematics;
pub(crate) mod measure;
pub(crate) mod rest_pose;
pub(crate) mod rise;
pub(crate) mod sets;
pub(crate) mod stillness;
#[cfg(test)]
mod testing;
pub(crate) mod warnings;
