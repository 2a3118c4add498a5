"""The baseline of benchmarks/ui_timing.py: the least a Streamlit page costs on this machine."""

import streamlit as st

st.title("Hello")
st.write("world")
