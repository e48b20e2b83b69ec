//! Makes dimensions of an ONNX model's input symbolic, in memory.
//!
//! YuNet 2022mar declares a fixed 1x3x120x160 input although nothing in its
//! graph depends on it; OpenCV ignores the declaration, ONNX Runtime does not.
//! This rewrites the protobuf bytes of the input's shape, replacing
//! `dim_value` by `dim_param` for the chosen dimensions, and re-encodes the
//! lengths of every enclosing message. Path: ModelProto.graph (7) →
//! GraphProto.input (11) → ValueInfoProto.type (2) → TypeProto.tensor_type (1)
//! → TypeProto.Tensor.shape (2) → TensorShapeProto.dim (1) → Dimension
//! {dim_value (1) | dim_param (2)}.

/// A model that is not valid protobuf, or has no input of that name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum ShapeError {
    /// The bytes are not a well-formed protobuf message.
    #[error("malformed ONNX protobuf")]
    Malformed,
    /// The graph has no input of that name, or it has fewer dimensions.
    #[error("input `{0}` with the dimensions to rewrite not found")]
    NotFound(String),
}

const LEN: u64 = 2;

/// Returns the model with the dimensions of input `input` at the given
/// indices renamed to the given symbols (`dim_param`).
pub(crate) fn make_dims_symbolic(
    model: &[u8],
    input: &str,
    dims: &[(usize, &str)],
) -> Result<Vec<u8>, ShapeError> {
    symbolic(model, 11, input, dims)
}

/// The same for output `output` (GraphProto.output, 12): its declared size
/// then no longer disagrees with what a symbolic input gives, which ONNX
/// Runtime would log at every run.
pub(crate) fn make_output_dims_symbolic(
    model: &[u8],
    output: &str,
    dims: &[(usize, &str)],
) -> Result<Vec<u8>, ShapeError> {
    symbolic(model, 12, output, dims)
}

fn symbolic(
    model: &[u8],
    list: u64,
    input: &str,
    dims: &[(usize, &str)],
) -> Result<Vec<u8>, ShapeError> {
    let mut rewritten = 0;
    let out = rewrite(model, 7, &mut |graph| {
        rewrite(graph, list, &mut |value_info| {
            if string_field(value_info, 1)?.as_deref() != Some(input) {
                return Ok(None);
            }
            rewrite(value_info, 2, &mut |ty| {
                rewrite(ty, 1, &mut |tensor| {
                    rewrite(tensor, 2, &mut |shape| {
                        let mut index = 0;
                        rewrite(shape, 1, &mut |_dim| {
                            let symbol = dims.iter().find(|(i, _)| *i == index);
                            index += 1;
                            Ok(symbol.map(|(_, name)| {
                                rewritten += 1;
                                let mut dim = Vec::new();
                                put_len_field(&mut dim, 2, name.as_bytes());
                                dim
                            }))
                        })
                        .map(Some)
                    })
                    .map(Some)
                })
                .map(Some)
            })
            .map(Some)
        })
        .map(Some)
    })?;
    if rewritten != dims.len() {
        return Err(ShapeError::NotFound(input.into()));
    }
    Ok(out)
}

type Rewriter<'a> = dyn FnMut(&[u8]) -> Result<Option<Vec<u8>>, ShapeError> + 'a;

/// Copies a message, passing the payload of each length-delimited field
/// numbered `field` through `f` (`None` keeps it as it is).
fn rewrite(msg: &[u8], field: u64, f: &mut Rewriter<'_>) -> Result<Vec<u8>, ShapeError> {
    let mut out = Vec::with_capacity(msg.len() + 16);
    let mut pos = 0;
    while pos < msg.len() {
        let start = pos;
        let (number, payload) = next_field(msg, &mut pos)?;
        match payload {
            Some(bytes) if number == field => match f(bytes)? {
                Some(new) => put_len_field(&mut out, field, &new),
                None => out.extend_from_slice(&msg[start..pos]),
            },
            _ => out.extend_from_slice(&msg[start..pos]),
        }
    }
    Ok(out)
}

/// The first length-delimited field `field` as text, if any.
fn string_field(msg: &[u8], field: u64) -> Result<Option<String>, ShapeError> {
    let mut pos = 0;
    while pos < msg.len() {
        if let (number, Some(bytes)) = next_field(msg, &mut pos)? {
            if number == field {
                return Ok(Some(String::from_utf8_lossy(bytes).into_owned()));
            }
        }
    }
    Ok(None)
}

/// Reads one field at `pos`, moving past it: its number and, when it is
/// length-delimited, its payload.
fn next_field<'m>(msg: &'m [u8], pos: &mut usize) -> Result<(u64, Option<&'m [u8]>), ShapeError> {
    let key = varint(msg, pos)?;
    let payload = match key & 7 {
        0 => varint(msg, pos).map(|_| None)?,
        1 => skip(msg, pos, 8).map(|_| None)?,
        5 => skip(msg, pos, 4).map(|_| None)?,
        LEN => {
            let len = usize::try_from(varint(msg, pos)?).map_err(|_| ShapeError::Malformed)?;
            Some(skip(msg, pos, len)?)
        }
        _ => return Err(ShapeError::Malformed), // groups (3, 4) are not used by ONNX
    };
    Ok((key >> 3, payload))
}

fn skip<'m>(msg: &'m [u8], pos: &mut usize, n: usize) -> Result<&'m [u8], ShapeError> {
    let end = pos.checked_add(n).filter(|&e| e <= msg.len());
    let end = end.ok_or(ShapeError::Malformed)?;
    let bytes = &msg[*pos..end];
    *pos = end;
    Ok(bytes)
}

fn varint(msg: &[u8], pos: &mut usize) -> Result<u64, ShapeError> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *msg.get(*pos).ok_or(ShapeError::Malformed)?;
        *pos += 1;
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Ok(value);
        }
    }
    Err(ShapeError::Malformed)
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn put_len_field(out: &mut Vec<u8>, field: u64, payload: &[u8]) {
    put_varint(out, field << 3 | LEN);
    put_varint(out, payload.len() as u64);
    out.extend_from_slice(payload);
}

#[cfg(test)]
#[path = "onnx_shape_tests.rs"]
mod tests;
