//! Tiny ONNX models written byte by byte (protobuf wire format), so tests can exercise the
//! ONNX code paths with shapes of their choosing and no Python. Only what the tests need:
//! `output = input * scale` (Mul) and `output = ReduceMean(input, axes)`.
#![allow(dead_code)]

use std::path::Path;

/// A dimension: fixed, or symbolic (dynamic).
#[derive(Clone, Copy)]
pub enum Dim {
    Fixed(i64),
    Dynamic(&'static str),
}

fn varint(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn int_field(out: &mut Vec<u8>, field: u32, v: i64) {
    varint(out, (field as u64) << 3);
    varint(out, v as u64);
}

fn bytes_field(out: &mut Vec<u8>, field: u32, bytes: &[u8]) {
    varint(out, ((field as u64) << 3) | 2);
    varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

fn value_info(name: &str, dims: &[Dim]) -> Vec<u8> {
    let mut shape = Vec::new();
    for d in dims {
        let mut dim = Vec::new();
        match d {
            Dim::Fixed(v) => int_field(&mut dim, 1, *v),
            Dim::Dynamic(p) => bytes_field(&mut dim, 2, p.as_bytes()),
        }
        bytes_field(&mut shape, 1, &dim);
    }
    let mut tensor = Vec::new();
    int_field(&mut tensor, 1, 1); // FLOAT
    bytes_field(&mut tensor, 2, &shape);
    let mut ty = Vec::new();
    bytes_field(&mut ty, 1, &tensor);
    let mut vi = Vec::new();
    bytes_field(&mut vi, 1, name.as_bytes());
    bytes_field(&mut vi, 2, &ty);
    vi
}

fn model(
    nodes: Vec<Vec<u8>>,
    initializers: Vec<Vec<u8>>,
    input: &[Dim],
    output: &[Dim],
) -> Vec<u8> {
    let mut graph = Vec::new();
    for n in &nodes {
        bytes_field(&mut graph, 1, n);
    }
    bytes_field(&mut graph, 2, b"test");
    for t in &initializers {
        bytes_field(&mut graph, 5, t);
    }
    bytes_field(&mut graph, 11, &value_info("input", input));
    bytes_field(&mut graph, 12, &value_info("output", output));
    let mut opset = Vec::new();
    int_field(&mut opset, 2, 11);
    let mut m = Vec::new();
    int_field(&mut m, 1, 6); // IR version 6 (opset 11)
    bytes_field(&mut m, 8, &opset);
    bytes_field(&mut m, 7, &graph);
    m
}

/// `output = input * scale`, with the given declared input and output shapes.
pub fn write_scale_model(path: &Path, input: &[Dim], output: &[Dim], scale: f32) {
    let mut node = Vec::new();
    bytes_field(&mut node, 1, b"input");
    bytes_field(&mut node, 1, b"scale");
    bytes_field(&mut node, 2, b"output");
    bytes_field(&mut node, 4, b"Mul");
    let mut init = Vec::new();
    int_field(&mut init, 2, 1); // FLOAT, scalar (no dims)
    bytes_field(&mut init, 8, b"scale");
    bytes_field(&mut init, 9, &scale.to_le_bytes());
    std::fs::write(path, model(vec![node], vec![init], input, output)).unwrap();
}

/// `output = ReduceMean(input, axes=[axis], keepdims=1)`: an output shape unlike the input.
pub fn write_reduce_model(path: &Path, input: &[Dim], output: &[Dim], axis: i64) {
    let mut node = Vec::new();
    bytes_field(&mut node, 1, b"input");
    bytes_field(&mut node, 2, b"output");
    bytes_field(&mut node, 4, b"ReduceMean");
    let mut axes = Vec::new();
    bytes_field(&mut axes, 1, b"axes");
    int_field(&mut axes, 8, axis);
    int_field(&mut axes, 20, 7); // INTS
    bytes_field(&mut node, 5, &axes);
    let mut keep = Vec::new();
    bytes_field(&mut keep, 1, b"keepdims");
    int_field(&mut keep, 3, 1);
    int_field(&mut keep, 20, 2); // INT
    bytes_field(&mut node, 5, &keep);
    std::fs::write(path, model(vec![node], vec![], input, output)).unwrap();
}
